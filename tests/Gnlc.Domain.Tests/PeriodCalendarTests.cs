using Gnlc.Actors;
using Gnlc.Errors;
using Gnlc.Periods;
using Gnlc.State;
using Gnlc.Time;
using static Gnlc.Domain.Tests.Given;

namespace Gnlc.Domain.Tests;

public class PeriodCalendarTests
{
    private static PeriodRegistryState With2025() =>
        PeriodCalendar.Schedule(new PeriodRegistryState(), Coordinator, new SchedulePeriod("2025", Now), Now);

    [Fact]
    public void Only_the_coordinator_schedules_periods() =>
        Refused(ErrorKind.Forbidden, ErrorCodes.CoordinatorOnly, () => PeriodCalendar.Schedule(new PeriodRegistryState(), Actor.Commission("IE"), new SchedulePeriod("2025", Now), Now));

    [Fact]
    public void A_recorded_schedule_is_handed_to_its_period()
    {
        var registry = With2025();
        Assert.Equal(registry.Periods["2025"], registry.PendingSchedules["2025"].Schedule);
    }

    [Fact]
    public void A_new_period_opens_at_least_two_calendar_years_after_the_previous_one_opened()
    {
        var registry = With2025();
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodCadence, () => PeriodCalendar.Schedule(registry, Coordinator, new SchedulePeriod("2027", Now.AddYears(2).AddTicks(-1)), Now));
        Assert.Contains("2027", PeriodCalendar.Schedule(registry, Coordinator, new SchedulePeriod("2027", Now.AddYears(2)), Now).Periods.Keys);
    }

    [Fact]
    public void The_cadence_holds_for_a_period_scheduled_before_an_existing_one()
    {
        var registry = PeriodCalendar.Schedule(new PeriodRegistryState(), Coordinator, new SchedulePeriod("2027", Now.AddYears(2)), Now);
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodCadence, () => PeriodCalendar.Schedule(registry, Coordinator, new SchedulePeriod("2025", Now.AddMonths(6)), Now));
    }

    [Fact]
    public void A_past_call_is_recorded_closed_at_its_endorsement_deadline_and_counts_for_the_cadence()
    {
        var past = new SchedulePeriod("2023", Now.AddYears(-1));
        var registry = PeriodCalendar.RecordPast(new PeriodRegistryState(), Coordinator, past, Now);

        var notice = registry.PendingSchedules["2023"];
        Assert.Equal(notice.Schedule.EndorsementDeadline, notice.ClosedAt);
        Assert.Same(registry, PeriodCalendar.RecordPast(registry, Coordinator, past, Now));
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodCadence, () => PeriodCalendar.Schedule(registry, Coordinator, new SchedulePeriod("2024", Now.AddMonths(6)), Now));
        Assert.Contains("2025", PeriodCalendar.Schedule(registry, Coordinator, new SchedulePeriod("2025", Now.AddYears(1)), Now).Periods.Keys);
    }

    [Fact]
    public void Only_a_call_that_has_ended_can_be_recorded_as_past_and_only_by_the_coordinator()
    {
        // Opened a month ago: its endorsement deadline (three months after opening) is still ahead.
        Refused(ErrorKind.Validation, ErrorCodes.PeriodNotPast, () => PeriodCalendar.RecordPast(new PeriodRegistryState(), Coordinator, new SchedulePeriod("2025", Now.AddMonths(-1)), Now));
        Refused(ErrorKind.Forbidden, ErrorCodes.CoordinatorOnly, () => PeriodCalendar.RecordPast(new PeriodRegistryState(), Actor.Commission("IE"), new SchedulePeriod("2023", Now.AddYears(-1)), Now));
    }

    [Fact]
    public void Periods_never_overlap() =>
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodOverlap, () => PeriodCalendar.Schedule(With2025(), Coordinator, new SchedulePeriod("2025-bis", Now.AddMonths(1)), Now));

    [Fact]
    public void A_long_window_cannot_reach_into_the_next_period()
    {
        var registry = PeriodCalendar.Schedule(new PeriodRegistryState(), Coordinator, new SchedulePeriod("2027", Now.AddYears(2)), Now);
        var late = new SchedulePeriod("2025", Now.AddMonths(2), CalendarDuration.FromMonths(12), CalendarDuration.FromMonths(12));
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodOverlap, () => PeriodCalendar.Schedule(registry, Coordinator, late, Now));
    }

    [Fact]
    public void Scheduling_the_same_period_again_is_idempotent_and_a_different_one_with_its_id_conflicts()
    {
        var registry = With2025();
        Assert.Same(registry, PeriodCalendar.Schedule(registry, Coordinator, new SchedulePeriod("2025", Now), Now));
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodExists, () => PeriodCalendar.Schedule(registry, Coordinator, new SchedulePeriod("2025", Now, Quota: 4), Now));
    }

    [Fact]
    public void A_schedule_changes_before_opening_and_is_fixed_once_open()
    {
        var registry = PeriodCalendar.Schedule(new PeriodRegistryState(), Coordinator, new SchedulePeriod("2025", Now.AddDays(5)), Now);
        var changed = PeriodCalendar.Reschedule(registry, Coordinator, new SchedulePeriod("2025", Now.AddDays(10), Quota: 4), Now);
        Assert.Equal(4, changed.Periods["2025"].Quota);
        Assert.Equal(changed.Version, changed.PendingSchedules["2025"].Version);
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodAlreadyOpen, () => PeriodCalendar.Reschedule(changed, Coordinator, new SchedulePeriod("2025", Now.AddDays(20)), Now.AddDays(10)));
        Refused(ErrorKind.NotFound, ErrorCodes.PeriodNotFound, () => PeriodCalendar.Reschedule(changed, Coordinator, new SchedulePeriod("2029", Now.AddDays(20)), Now));
    }
}
