using System.Collections.Immutable;
using Gnlc.Actors;

namespace Gnlc.Periods;

/// <summary>
/// The one owner of the period calendar (key <see cref="GrainKeys.PeriodRegistry"/>): the two-year
/// cadence and the no-overlap rule are checked and recorded here, atomically.
/// </summary>
[Alias("gnlc.IPeriodRegistryGrain")]
public interface IPeriodRegistryGrain : IGrainWithStringKey
{
    [Alias("schedule")]
    Task<PeriodView> ScheduleAsync(Actor actor, SchedulePeriod command);

    /// <summary>Changes a schedule while the period has not opened yet; fixed once open.</summary>
    [Alias("reschedule")]
    Task<PeriodView> RescheduleAsync(Actor actor, SchedulePeriod command);

    /// <summary>
    /// Records a call that ended before this system (e.g. the 2023 call in the demo data) as a Closed period, so
    /// that history is visible and the two-year cadence counts it. Coordinator only; its endorsement deadline must
    /// have passed; the same record again changes nothing.
    /// </summary>
    [Alias("record-past")]
    Task<PeriodView> RecordPastAsync(Actor actor, SchedulePeriod command);

    [Alias("list")]
    Task<ImmutableArray<PeriodView>> ListAsync();
}

/// <summary>An application period (key <see cref="GrainKeys.Period"/>, e.g. <c>period-2025</c>).</summary>
[Alias("gnlc.IApplicationPeriodGrain")]
public interface IApplicationPeriodGrain : IGrainWithStringKey
{
    /// <summary>Schedule, effective phase and counts; refuses <c>period-not-found</c> when never scheduled.</summary>
    [Alias("get")]
    Task<PeriodView> GetAsync();

    /// <summary>Coordinator closes the period in Review once every forwarded application is decided.</summary>
    [Alias("close")]
    Task<PeriodView> CloseAsync(Actor actor);
}
