using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Errors;
using Gnlc.Events;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.State;
using Gnlc.Time;
using static Gnlc.Domain.Tests.Given;

namespace Gnlc.Domain.Tests;

public class PeriodRulesTests
{
    [Fact]
    public void The_defaults_are_two_calendar_months_then_one_and_a_quota_of_three()
    {
        var opens = new DateTimeOffset(2025, 12, 31, 0, 0, 0, TimeSpan.Zero);
        var schedule = PeriodRules.ScheduleFor(new SchedulePeriod("2026", opens), opens);
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.Zero), schedule.ClosesAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.Zero), schedule.EndorsementDeadline);
        Assert.Equal(3, schedule.Quota);
    }

    [Fact]
    public void The_coordinator_may_set_the_windows_and_the_quota()
    {
        var schedule = PeriodRules.ScheduleFor(new SchedulePeriod("2025", Now, CalendarDuration.FromMonths(1), new CalendarDuration(0, 10), 5), Now);
        Assert.Equal(Now.AddMonths(1), schedule.ClosesAt);
        Assert.Equal(Now.AddMonths(1).AddDays(10), schedule.EndorsementDeadline);
        Assert.Equal(5, schedule.Quota);
    }

    [Theory]
    [InlineData(-2, 2, 3, ErrorCodes.OpensInPast)]
    [InlineData(0, 0, 3, ErrorCodes.InvalidSchedule)]
    [InlineData(0, 13, 3, ErrorCodes.InvalidSchedule)]
    [InlineData(0, 2, 0, ErrorCodes.InvalidQuota)]
    public void Scheduling_input_is_validated(int minutesFromNow, int months, int quota, string code) =>
        Refused(ErrorKind.Validation, code, () => PeriodRules.ScheduleFor(new SchedulePeriod("2025", Now.AddMinutes(minutesFromNow), CalendarDuration.FromMonths(months), Quota: quota), Now));

    [Fact]
    public void An_opening_less_than_a_minute_ago_is_accepted() =>
        Assert.Equal(Now.AddSeconds(-30), PeriodRules.ScheduleFor(new SchedulePeriod("2025", Now.AddSeconds(-30)), Now).OpensAt);

    [Fact]
    public void The_phase_follows_the_schedule_exactly()
    {
        var s = Schedule(opensAt: Now.AddDays(1));
        Assert.Equal(PeriodPhase.Scheduled, s.PhaseAt(s.OpensAt.AddTicks(-1)));
        Assert.Equal(PeriodPhase.Open, s.PhaseAt(s.OpensAt));
        Assert.Equal(PeriodPhase.Endorsement, s.PhaseAt(s.ClosesAt));
        Assert.Equal(PeriodPhase.Review, s.PhaseAt(s.EndorsementDeadline));
        Assert.Equal(PeriodPhase.Closed, s.PhaseAt(s.EndorsementDeadline, closed: true));
    }

    [Fact]
    public void Phases_are_announced_in_order_even_when_several_passed_at_once()
    {
        var s = Schedule(opensAt: Now.AddDays(1));
        var period = PeriodRules.ApplySchedule(new PeriodState(), new ScheduleNotice(s, 1), Now);
        Assert.Equal(DomainEventType.PeriodScheduled, Assert.Single(period.PendingEvents).Type);
        Assert.Equal(s.OpensAt, PeriodRules.NextDeadline(period));

        var later = PeriodRules.ProcessDeadlines(period, s.EndorsementDeadline.AddDays(1));
        var phases = later.PendingEvents.Skip(1).Select(e => (e.Status, e.OccurredAt)).ToList();
        Assert.Equal([("Open", s.OpensAt), ("Endorsement", s.ClosesAt), ("Review", s.EndorsementDeadline)], phases);
        Assert.Equal(later.Version, later.PendingEvents[^1].Version);
        Assert.Null(PeriodRules.NextDeadline(later));
        Assert.Same(later, PeriodRules.ProcessDeadlines(later, s.EndorsementDeadline.AddDays(2)));
    }

    [Fact]
    public void A_past_call_arrives_closed_with_no_phase_to_announce_and_no_deadline()
    {
        var s = Schedule(opensAt: Now.AddYears(-1));
        var period = PeriodRules.ApplySchedule(new PeriodState(), new ScheduleNotice(s, 1, s.EndorsementDeadline), Now);

        var scheduled = Assert.Single(period.PendingEvents);
        Assert.Equal((DomainEventType.PeriodScheduled, "Closed"), (scheduled.Type, scheduled.Status));
        Assert.Equal(PeriodPhase.Closed, PeriodRules.View(period, new PeriodTallyState(), "2025", Now).Phase);
        Assert.Equal(s.EndorsementDeadline, period.ClosedAt);
        Assert.Null(PeriodRules.NextDeadline(period));
        Assert.Same(period, PeriodRules.ProcessDeadlines(period, Now.AddYears(1)));
    }

    [Fact]
    public void A_period_whose_opening_has_come_is_open_at_once()
    {
        var period = PeriodRules.ApplySchedule(new PeriodState(), new ScheduleNotice(Schedule(), 1), Now);
        Assert.Equal(PeriodPhase.Open, period.AnnouncedPhase);
        Assert.Equal(PeriodPhase.Open, PeriodRules.View(period, new PeriodTallyState(), "2025", Now).Phase);
    }

    [Fact]
    public void A_schedule_is_fixed_once_the_period_is_open()
    {
        var period = PeriodRules.ApplySchedule(new PeriodState(), new ScheduleNotice(Schedule(), 1), Now);
        var changed = PeriodRules.ApplySchedule(period, new ScheduleNotice(Schedule(quota: 9), 2), Now);
        Assert.Equal(3, changed.Schedule!.Quota);
    }

    [Fact]
    public void The_period_tallies_its_applications_latest_status()
    {
        var period = PeriodRules.ApplySchedule(new PeriodState(), new ScheduleNotice(Schedule(), 1), Now);
        var tally = PeriodRules.ApplyApplicationStatus(new PeriodTallyState(), new ApplicationStatusNotice("2025", "ie-a", ApplicationStatus.Endorsed, 5));
        Assert.Same(tally, PeriodRules.ApplyApplicationStatus(tally, new ApplicationStatusNotice("2025", "ie-a", ApplicationStatus.Submitted, 4)));
        tally = PeriodRules.ApplyApplicationStatus(tally, new ApplicationStatusNotice("2025", "ie-b", ApplicationStatus.Submitted, 4));
        Assert.Equal(new PeriodCounts(1, 1, 0, 0, 0, 0), PeriodRules.View(period, tally, "2025", Now).Counts);
    }

    [Fact]
    public void The_view_version_moves_with_the_period_and_with_its_tally()
    {
        var period = PeriodRules.ApplySchedule(new PeriodState(), new ScheduleNotice(Schedule(), 1), Now);
        var before = PeriodRules.View(period, new PeriodTallyState(), "2025", Now).Version;
        var tally = PeriodRules.ApplyApplicationStatus(new PeriodTallyState(), new ApplicationStatusNotice("2025", "ie-a", ApplicationStatus.Submitted, 2));
        var afterNotice = PeriodRules.View(period, tally, "2025", Now).Version;
        var afterPhase = PeriodRules.View(PeriodRules.ProcessDeadlines(period, Schedule().ClosesAt), tally, "2025", Schedule().ClosesAt).Version;
        Assert.True(before < afterNotice && afterNotice < afterPhase, $"{before} < {afterNotice} < {afterPhase}");
    }

    [Fact]
    public void A_tally_stored_in_the_period_row_before_it_had_its_own_row_carries_over()
    {
        var tracked = new TrackedApplication { Status = ApplicationStatus.Forwarded, Version = 5 };
        var legacy = new PeriodState { Schedule = Schedule(), Applications = new Dictionary<string, TrackedApplication> { ["ie-a"] = tracked } };
        var tally = PeriodRules.LegacyTally(legacy);
        Assert.Equal(new PeriodCounts(0, 0, 1, 0, 0, 0), PeriodRules.Counts(tally));
        Assert.Same(tally, PeriodRules.ApplyApplicationStatus(tally, new ApplicationStatusNotice("2025", "ie-a", ApplicationStatus.Submitted, 4)));
    }

    [Fact]
    public void The_coordinator_closes_a_period_in_review_once_every_forwarded_application_is_decided()
    {
        var s = Schedule();
        var period = PeriodRules.ApplySchedule(new PeriodState(), new ScheduleNotice(s, 1), Now);
        var tally = PeriodRules.ApplyApplicationStatus(new PeriodTallyState(), new ApplicationStatusNotice("2025", "ie-a", ApplicationStatus.Forwarded, 5));
        var review = s.EndorsementDeadline;
        Refused(ErrorKind.Forbidden, ErrorCodes.CoordinatorOnly, () => PeriodRules.Close(period, tally, "2025", Actor.Commission("IE"), review));
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodNotInReview, () => PeriodRules.Close(period, tally, "2025", Coordinator, s.ClosesAt));
        Refused(ErrorKind.Conflict, ErrorCodes.ApplicationsUndecided, () => PeriodRules.Close(period, tally, "2025", Coordinator, review));

        tally = PeriodRules.ApplyApplicationStatus(tally, new ApplicationStatusNotice("2025", "ie-a", ApplicationStatus.Admitted, 6));
        var closed = PeriodRules.Close(period, tally, "2025", Coordinator, review);
        Assert.Equal(PeriodPhase.Closed, PeriodRules.View(closed, tally, "2025", review).Phase);
        Assert.Equal("Closed", closed.PendingEvents[^1].Status);
        Assert.Same(closed, PeriodRules.Close(closed, tally, "2025", Coordinator, review));
    }

    [Fact]
    public void An_unscheduled_period_is_not_found() =>
        Refused(ErrorKind.NotFound, ErrorCodes.PeriodNotFound, () => PeriodRules.View(new PeriodState(), new PeriodTallyState(), "2025", Now));
}
