using Gnlc.Actors;
using Gnlc.Errors;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.State;

namespace Gnlc.Domain;

/// <summary>
/// The rules of the period registry: "one open call every two years" — a period opens at least two
/// calendar years after any earlier one opened, and no two periods overlap (from opening to the
/// endorsement deadline). Applied in the one registry grain, so concurrent scheduling cannot break them.
/// </summary>
public static class PeriodCalendar
{
    public const int CadenceYears = 2;

    public static PeriodRegistryState Schedule(PeriodRegistryState state, Actor actor, SchedulePeriod command, DateTimeOffset now)
    {
        ActorChecks.RequireCoordinator(actor);
        var schedule = PeriodRules.ScheduleFor(command, now);
        if (state.Periods.GetValueOrDefault(schedule.PeriodId) is { } existing)
        {
            return SameSchedule(existing, schedule)
                ? state
                : throw DomainErrors.Conflict(ErrorCodes.PeriodExists, $"Period '{schedule.PeriodId}' is already scheduled.");
        }

        RequireFits(state.Periods.Values, schedule);
        return Record(state, schedule);
    }

    /// <summary>Records a call that has ended, Closed as of its endorsement deadline; it counts for the cadence.</summary>
    public static PeriodRegistryState RecordPast(PeriodRegistryState state, Actor actor, SchedulePeriod command, DateTimeOffset now)
    {
        ActorChecks.RequireCoordinator(actor);
        var schedule = PeriodRules.PastScheduleFor(command, now);
        if (state.Periods.GetValueOrDefault(schedule.PeriodId) is { } existing)
        {
            return SameSchedule(existing, schedule)
                ? state
                : throw DomainErrors.Conflict(ErrorCodes.PeriodExists, $"Period '{schedule.PeriodId}' is already recorded.");
        }

        RequireFits(state.Periods.Values, schedule);
        return Record(state, schedule, closedAt: schedule.EndorsementDeadline);
    }

    /// <summary>Changes a schedule before the period opens; window, quota and dates are fixed once it is open.</summary>
    public static PeriodRegistryState Reschedule(PeriodRegistryState state, Actor actor, SchedulePeriod command, DateTimeOffset now)
    {
        ActorChecks.RequireCoordinator(actor);
        ArgumentNullException.ThrowIfNull(command);
        var periodId = GrainKeys.PeriodId(command.Id);
        var existing = state.Periods.GetValueOrDefault(periodId) ?? throw DomainErrors.PeriodNotFound(periodId);
        if (existing.PhaseAt(now) != PeriodPhase.Scheduled)
        {
            throw DomainErrors.Conflict(ErrorCodes.PeriodAlreadyOpen, $"Period '{periodId}' has opened; its schedule is fixed.");
        }

        var schedule = PeriodRules.ScheduleFor(command, now);
        if (SameSchedule(existing, schedule))
        {
            return state;
        }

        RequireFits(state.Periods.Values.Where(p => p.PeriodId != periodId), schedule);
        return Record(state, schedule);
    }

    /// <summary>Refuses a schedule that overlaps another period or opens within two years of another's opening.</summary>
    public static void RequireFits(IEnumerable<PeriodSchedule> others, PeriodSchedule candidate)
    {
        ArgumentNullException.ThrowIfNull(others);
        ArgumentNullException.ThrowIfNull(candidate);
        foreach (var other in others)
        {
            if (candidate.OpensAt < other.EndorsementDeadline && other.OpensAt < candidate.EndorsementDeadline)
            {
                throw DomainErrors.Conflict(ErrorCodes.PeriodOverlap, $"Period '{candidate.PeriodId}' would overlap period '{other.PeriodId}'.");
            }

            var (earlier, later) = other.OpensAt <= candidate.OpensAt ? (other, candidate) : (candidate, other);
            if (later.OpensAt < earlier.OpensAt.AddYears(CadenceYears))
            {
                throw DomainErrors.Conflict(
                    ErrorCodes.PeriodCadence,
                    $"Periods open at least {CadenceYears} years apart: '{later.PeriodId}' would open before {earlier.OpensAt.AddYears(CadenceYears):O}, two years after '{earlier.PeriodId}' opened.");
            }
        }
    }

    private static bool SameSchedule(PeriodSchedule a, PeriodSchedule b) =>
        a.OpensAt == b.OpensAt && a.Quota == b.Quota && a.ApplicationWindow == b.ApplicationWindow && a.EndorsementWindow == b.EndorsementWindow;

    private static PeriodRegistryState Record(PeriodRegistryState state, PeriodSchedule schedule, DateTimeOffset? closedAt = null)
    {
        var version = state.Version + 1;
        return state with
        {
            Version = version,
            Periods = state.Periods.With(schedule.PeriodId, schedule),
            PendingSchedules = state.PendingSchedules.With(schedule.PeriodId, new ScheduleNotice(schedule, version, closedAt)),
        };
    }
}
