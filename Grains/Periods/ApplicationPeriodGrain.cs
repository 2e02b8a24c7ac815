using Gnlc.Actors;
using Gnlc.Domain;
using Gnlc.Infrastructure;
using Gnlc.Notices;
using Gnlc.State;

namespace Gnlc.Periods;

[GrainType("gnlc-period")]
public sealed class ApplicationPeriodGrain(
    [PersistentState("period", ProviderNames.GrainStorage)] IPersistentState<PeriodState> store,
    DomainGrainServices services)
    : DomainGrain<PeriodState>(store, services), IApplicationPeriodGrain, IPeriodInbox
{
    private string PeriodId => GrainKeys.ParsePeriod(Key);

    public Task<PeriodView> GetAsync() => Task.FromResult(PeriodRules.View(State, PeriodId, Now));

    public async Task<PeriodView> CloseAsync(Actor actor)
    {
        await CommitAsync(PeriodRules.Close(State, PeriodId, actor, Now));
        return PeriodRules.View(State, PeriodId, Now);
    }

    public Task ApplyScheduleAsync(ScheduleNotice notice) => CommitAsync(PeriodRules.ApplySchedule(State, notice, Now));

    public Task ApplyApplicationStatusAsync(ApplicationStatusNotice notice) => CommitAsync(PeriodRules.ApplyApplicationStatus(State, notice));

    protected override bool HasPendingDeliveries(PeriodState state) => state.PendingEvents.Count > 0;

    protected override async Task<PeriodState> DeliverAsync(PeriodState state)
    {
        await Events.PublishAsync(state.PendingEvents);
        return state with { PendingEvents = PersistedCollections.EmptyList<Events.DomainEvent>() };
    }

    protected override DateTimeOffset? NextDeadline(PeriodState state) => PeriodRules.NextDeadline(state);

    protected override PeriodState ApplyDeadlines(PeriodState state, DateTimeOffset now) => PeriodRules.ProcessDeadlines(state, now);
}
