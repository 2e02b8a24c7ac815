using Gnlc.Actors;
using Gnlc.Domain;
using Gnlc.Infrastructure;
using Gnlc.Notices;
using Gnlc.State;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;

namespace Gnlc.Periods;

/// <summary>An application period: its schedule and phases (one row), and the tally of its applications (another).</summary>
/// <remarks>
/// Every submission and every endorsement sends this one grain a status notice, so the tally is kept apart from the
/// period's own state and its writes are coalesced (<see cref="GroupCommit{TState}"/>): status notices and reads
/// interleave with each other and with the period's own commands (<see cref="MayInterleave"/>), each notice is applied
/// to the tally within one turn, and one write stores all the notices that arrived during the previous write. The
/// period's own changes (schedule, phases, closing) stay one call at a time. A read waits for a period write in
/// flight, so it never answers from a change that is not stored.
/// </remarks>
[GrainType("gnlc-period")]
[MayInterleave(nameof(MayInterleave))]
public sealed class ApplicationPeriodGrain : DomainGrain<PeriodState>, IApplicationPeriodGrain, IPeriodInbox
{
    private readonly IPersistentState<PeriodTallyState> _tally;
    private readonly GroupCommit<PeriodTallyState> _tallyWrites;

    // Counts of the tally instance they were computed from: reads outnumber changes.
    private PeriodTallyState? _countedTally;
    private PeriodCounts _counts = new(0, 0, 0, 0, 0, 0);

    public ApplicationPeriodGrain(
        [PersistentState("period", ProviderNames.GrainStorage)] IPersistentState<PeriodState> store,
        [PersistentState("period-tally", ProviderNames.GrainStorage)] IPersistentState<PeriodTallyState> tally,
        DomainGrainServices services)
        : base(store, services)
    {
        _tally = tally;
        _tallyWrites = new GroupCommit<PeriodTallyState>(tally, this.DeactivateOnIdle);
    }

    private string PeriodId => GrainKeys.ParsePeriod(Key);

    /// <summary>Status notices and reads interleave; they touch only the tally, or read.</summary>
    public static bool MayInterleave(IInvokable request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var type = request.GetInterfaceType();
        var method = request.GetMethodName();
        return (type == typeof(IPeriodInbox) && method == nameof(IPeriodInbox.ApplyApplicationStatusAsync))
            || (type == typeof(IApplicationPeriodGrain) && method == nameof(IApplicationPeriodGrain.GetAsync));
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!_tally.RecordExists && State.Applications.Count > 0)
        {
            // Stored before the tally had its own row: carried over, and stored there by the next status notice.
            _tally.State = PeriodRules.LegacyTally(State);
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<PeriodView> GetAsync()
    {
        await WhenStoredAsync();
        return View();
    }

    public async Task<PeriodView> CloseAsync(Actor actor)
    {
        await CommitAsync(PeriodRules.Close(State, _tally.State, PeriodId, actor, Now));
        return View();
    }

    public Task ApplyScheduleAsync(ScheduleNotice notice) => CommitAsync(PeriodRules.ApplySchedule(State, notice, Now));

    public Task ApplyApplicationStatusAsync(ApplicationStatusNotice notice) =>
        _tallyWrites.CommitAsync(PeriodRules.ApplyApplicationStatus(_tally.State, notice));

    private PeriodView View()
    {
        var tally = _tally.State;
        if (!ReferenceEquals(tally, _countedTally))
        {
            _counts = PeriodRules.Counts(tally);
            _countedTally = tally;
        }

        return PeriodRules.View(State, _counts, tally.Version, PeriodId, Now);
    }

    protected override bool HasPendingDeliveries(PeriodState state) => state.PendingEvents.Count > 0;

    protected override async Task<PeriodState> DeliverAsync(PeriodState state)
    {
        await Events.PublishAsync(state.PendingEvents);
        return state with { PendingEvents = PersistedCollections.EmptyList<Events.DomainEvent>() };
    }

    protected override DateTimeOffset? NextDeadline(PeriodState state) => PeriodRules.NextDeadline(state);

    protected override PeriodState ApplyDeadlines(PeriodState state, DateTimeOffset now) => PeriodRules.ProcessDeadlines(state, now);
}
