using System.Collections.Immutable;
using Gnlc.Actors;
using Gnlc.Domain;
using Gnlc.Infrastructure;
using Gnlc.Notices;
using Gnlc.State;

namespace Gnlc.Periods;

/// <summary>
/// The period calendar. A single, non-reentrant grain: two concurrent scheduling calls are checked one
/// after the other against everything recorded, so neither cadence nor overlap can be broken by a race.
/// </summary>
[GrainType("gnlc-period-registry")]
public sealed class PeriodRegistryGrain(
    [PersistentState("period-registry", ProviderNames.GrainStorage)] IPersistentState<PeriodRegistryState> store,
    DomainGrainServices services)
    : DomainGrain<PeriodRegistryState>(store, services), IPeriodRegistryGrain
{
    protected override bool HasDeadlines => false;

    public async Task<PeriodView> ScheduleAsync(Actor actor, SchedulePeriod command)
    {
        await CommitAsync(PeriodCalendar.Schedule(State, actor, command, Now));
        return await GrainFactory.GetGrain<IApplicationPeriodGrain>(GrainKeys.Period(command.Id)).GetAsync();
    }

    public async Task<PeriodView> RescheduleAsync(Actor actor, SchedulePeriod command)
    {
        await CommitAsync(PeriodCalendar.Reschedule(State, actor, command, Now));
        return await GrainFactory.GetGrain<IApplicationPeriodGrain>(GrainKeys.Period(command.Id)).GetAsync();
    }

    public async Task<PeriodView> RecordPastAsync(Actor actor, SchedulePeriod command)
    {
        await CommitAsync(PeriodCalendar.RecordPast(State, actor, command, Now));
        return await GrainFactory.GetGrain<IApplicationPeriodGrain>(GrainKeys.Period(command.Id)).GetAsync();
    }

    public async Task<ImmutableArray<PeriodView>> ListAsync()
    {
        var views = await Task.WhenAll(State.Periods.Keys.Select(id => GrainFactory.GetGrain<IApplicationPeriodGrain>(GrainKeys.Period(id)).GetAsync()));
        return [.. views.OrderBy(v => v.Schedule.OpensAt)];
    }

    protected override bool HasPendingDeliveries(PeriodRegistryState state) => state.PendingSchedules.Count > 0;

    protected override async Task<PeriodRegistryState> DeliverAsync(PeriodRegistryState state)
    {
        foreach (var (periodId, notice) in state.PendingSchedules)
        {
            await GrainFactory.GetGrain<IPeriodInbox>(GrainKeys.Period(periodId)).ApplyScheduleAsync(notice);
            state = state with { PendingSchedules = state.PendingSchedules.Without(periodId) };
        }

        return state;
    }
}
