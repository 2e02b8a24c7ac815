using Gnlc.Actors;
using Gnlc.Domain;
using Gnlc.Infrastructure;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.State;

namespace Gnlc.Commissions;

/// <summary>
/// The National Commission: the one owner of its quota. Orleans runs one call at a time in a grain
/// (it is not reentrant), so concurrent endorsements from any silo are applied one after the other.
/// </summary>
[GrainType("gnlc-commission")]
public sealed class NationalCommissionGrain(
    [PersistentState("commission", ProviderNames.GrainStorage)] IPersistentState<CommissionState> store,
    DomainGrainServices services)
    : DomainGrain<CommissionState>(store, services), INationalCommissionGrain, ICommissionInbox
{
    private string Country => GrainKeys.ParseCountrySuffix(Key);

    public async Task<CommissionPeriodView> GetApplicationsAsync(Actor actor, string periodId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsCoordinator)
        {
            ActorChecks.RequireCommissionOf(actor, Country);
        }

        var schedule = State.Periods.GetValueOrDefault(GrainKeys.PeriodId(periodId))?.Schedule
            ?? (await GrainFactory.Reference<IApplicationPeriodGrain>(GrainKeys.Period(periodId)).GetAsync()).Schedule;
        return CommissionRules.View(State, Country, actor, periodId, schedule);
    }

    public async Task<CommissionPeriodView> EndorseAsync(Actor actor, string periodId, string cityId)
    {
        ActorChecks.RequireCommissionOf(actor, Country);
        await CommitAsync(CommissionRules.Endorse(State, Country, actor, GrainKeys.PeriodId(periodId), GrainKeys.City(cityId), Now));
        return await GetApplicationsAsync(actor, periodId);
    }

    public async Task<CommissionPeriodView> WithdrawEndorsementAsync(Actor actor, string periodId, string cityId)
    {
        ActorChecks.RequireCommissionOf(actor, Country);
        await CommitAsync(CommissionRules.Withdraw(State, Country, actor, GrainKeys.PeriodId(periodId), GrainKeys.City(cityId), Now));
        return await GetApplicationsAsync(actor, periodId);
    }

    public async Task<CommissionPeriodView> ForwardAsync(Actor actor, string periodId)
    {
        ActorChecks.RequireCommissionOf(actor, Country);
        await CommitAsync(CommissionRules.Forward(State, Country, actor, GrainKeys.PeriodId(periodId), Now));
        return await GetApplicationsAsync(actor, periodId);
    }

    // A late submission is answered with a NotEndorsed notice to the very application calling: deliver it
    // after this call returns, or the two grains would wait on each other.
    public Task ReceiveSubmissionAsync(SubmissionNotice notice) =>
        CommitAsync(CommissionRules.ReceiveSubmission(State, Country, notice, Now), deferDelivery: true);

    protected override bool HasPendingDeliveries(CommissionState state) => state.PendingEvents.Count > 0 || state.PendingNotices.Count > 0;

    // Applications call their commission (submissions): a notice that may have reached one already is redelivered
    // off the turn.
    protected override bool DeliversToCallers(CommissionState state) => state.PendingNotices.Count > 0;

    // Each notice goes to a different application, and the events to the log: sent together (all or nothing, as
    // every receiver deduplicates), so an endorsement waits for the slowest delivery, not for their sum.
    protected override async Task<CommissionState> DeliverAsync(CommissionState state)
    {
        var deliveries = new List<Task>(state.PendingNotices.Count + 1);
        foreach (var (applicationKey, notice) in state.PendingNotices)
        {
            deliveries.Add(GrainFactory.Reference<IApplicationInbox>(applicationKey).ApplyCommissionNoticeAsync(notice));
        }

        if (state.PendingEvents.Count > 0)
        {
            deliveries.Add(Events.PublishAsync(state.PendingEvents));
        }

        await Task.WhenAll(deliveries);
        return state with
        {
            PendingNotices = PersistedCollections.EmptyMap<string, CommissionNotice>(),
            PendingEvents = PersistedCollections.EmptyList<Events.DomainEvent>(),
        };
    }

    protected override DateTimeOffset? NextDeadline(CommissionState state) => CommissionRules.NextDeadline(state);

    protected override CommissionState ApplyDeadlines(CommissionState state, DateTimeOffset now) => CommissionRules.ProcessDeadlines(state, now);
}
