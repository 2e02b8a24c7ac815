using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Errors;
using Gnlc.Events;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.State;
using static Gnlc.Domain.Tests.Given;

namespace Gnlc.Domain.Tests;

/// <summary>
/// The rules of DOMAIN.md that the per-entity test classes left without a test of their own: who may
/// apply, the declined outcome, late withdrawals and submissions, reports of members behind or
/// suspended, readmission, and the event that every status change (and only a status change) carries.
/// </summary>
public class LifecycleRulesTests
{
    private static readonly Actor Ireland = Actor.Commission("IE");
    private readonly PeriodSchedule _schedule = Schedule();
    private readonly CityState _city = Candidate();

    [Theory]
    [InlineData(CityStatus.Member)]
    [InlineData(CityStatus.ReportOverdue)]
    [InlineData(CityStatus.Suspended)]
    public void A_city_that_is_a_member_in_any_standing_does_not_apply_again(CityStatus status)
    {
        var member = View(WithStatus(status));
        Refused(ErrorKind.Conflict, ErrorCodes.AlreadyMember, () => ApplicationRules.SaveDraft(new ApplicationState(), "2025", member, Actor.Mayor(member.Id), CompleteForm(), _schedule, Now));
        Refused(ErrorKind.Conflict, ErrorCodes.AlreadyMember, () => ApplicationRules.Submit(EndorsedDraft(_city, _schedule), Actor.Mayor(member.Id), _schedule, member, Now));
    }

    [Fact]
    public void A_city_whose_membership_ended_may_apply_again_and_admission_makes_it_a_member_from_then()
    {
        var ended = WithStatus(CityStatus.Ended);
        var submitted = ApplicationRules.Submit(EndorsedDraft(ended, _schedule), Actor.Mayor(ended.Id), _schedule, View(ended), Now);
        Assert.Equal(ApplicationStatus.Submitted, submitted.Status);

        var readmittedAt = Now.AddMonths(4);
        var member = CityRules.Admit(ended, new AdmissionNotice("2025", ended.Id, readmittedAt));
        Assert.Equal((CityStatus.Member, readmittedAt, readmittedAt.AddYears(2)), (member.Status, member.MemberSince, member.NextReportDue));
        Assert.Null(member.StatusReason);
        Assert.Equal(DomainEventType.MembershipChanged, member.PendingEvents[^1].Type);
    }

    [Fact]
    public void An_admission_for_a_city_already_a_member_is_recorded_and_changes_its_status_in_no_way()
    {
        var suspended = WithStatus(CityStatus.Suspended);
        var admitted = CityRules.Admit(suspended, new AdmissionNotice("2025", suspended.Id, Now));
        Assert.Equal(CityStatus.Suspended, admitted.Status);
        Assert.Equal(suspended.MemberSince, admitted.MemberSince);
        Assert.Equal(suspended.PendingEvents.Count, admitted.PendingEvents.Count);
        Assert.Same(admitted, CityRules.Admit(admitted, new AdmissionNotice("2025", suspended.Id, Now)));
    }

    [Fact]
    public void A_draft_may_be_saved_while_the_period_is_scheduled_but_submitted_only_once_it_is_open()
    {
        var later = Schedule(opensAt: Now.AddDays(10));
        var draft = ApplicationRules.EndorseAsMayor(
            ApplicationRules.SaveDraft(new ApplicationState(), "2025", View(_city), Actor.Mayor(_city.Id), CompleteForm(), later, Now),
            Actor.Mayor(_city.Id), "yes", Now);
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodNotOpen, () => ApplicationRules.Submit(draft, Actor.Mayor(_city.Id), later, View(_city), Now));
        Assert.Equal(ApplicationStatus.Submitted, ApplicationRules.Submit(draft, Actor.Mayor(_city.Id), later, View(_city), later.OpensAt).Status);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void A_form_whose_population_is_not_positive_is_refused(long population) =>
        Refused(ErrorKind.Validation, ErrorCodes.InvalidForm, () => Draft(_city, _schedule, CompleteForm() with { Population = population }));

    [Fact]
    public void Submission_is_refused_until_the_population_and_the_focal_point_are_given()
    {
        var form = CompleteForm() with { Population = null, FocalPoint = null };
        var draft = ApplicationRules.EndorseAsMayor(Draft(_city, _schedule, form), Actor.Mayor(_city.Id), "yes", Now);
        var refusal = Refusal(() => ApplicationRules.Submit(draft, Actor.Mayor(_city.Id), _schedule, View(_city), Now));
        Assert.Equal(ErrorCodes.ApplicationIncomplete, refusal.Code);
        Assert.Contains("population", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("focalPoint.name", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("focalPoint.email", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declined_application_ends_declined_with_its_reason_and_makes_no_member()
    {
        var declined = ApplicationRules.Decide(Forwarded(), Coordinator, new DecideApplication(Decision.Decline, "Not yet ready"), PeriodPhase.Review, Now);
        Assert.Equal(ApplicationStatus.Declined, declined.Status);
        Assert.Equal("Not yet ready", declined.DecisionReason);
        Assert.Equal(Now, declined.DecidedAt);
        Assert.Null(declined.PendingAdmission);
        var evt = declined.PendingEvents[^1];
        Assert.Equal((DomainEventType.ApplicationDecided, "Declined", "Not yet ready"), (evt.Type, evt.Status, evt.Reason));
        Assert.Equal(ApplicationStatus.Declined, declined.PendingPeriodStatus!.Status);
        Assert.Same(declined, ApplicationRules.Decide(declined, Coordinator, new DecideApplication(Decision.Decline, "Not yet ready"), PeriodPhase.Review, Now));
        Refused(ErrorKind.Conflict, ErrorCodes.AlreadyDecided, () => ApplicationRules.Decide(declined, Coordinator, new DecideApplication(Decision.Admit, "Changed mind"), PeriodPhase.Review, Now));
    }

    [Fact]
    public void A_decision_that_is_neither_admit_nor_decline_is_a_validation_error() =>
        Refused(ErrorKind.Validation, ErrorCodes.InvalidDecision, () => ApplicationRules.Decide(Forwarded(), Coordinator, new DecideApplication((Decision)7, "why"), PeriodPhase.Review, Now));

    [Fact]
    public void A_commission_notice_arriving_after_the_decision_changes_nothing()
    {
        var admitted = ApplicationRules.Decide(Forwarded(), Coordinator, new DecideApplication(Decision.Admit, "Yes"), PeriodPhase.Review, Now);
        var late = ApplicationRules.ApplyCommissionNotice(admitted, new CommissionNotice("2025", _city.Id, ApplicationStatus.NotEndorsed, Now, 99, "deadline-passed"));
        Assert.Equal(ApplicationStatus.Admitted, late.Status);
        Assert.Equal(admitted.PendingEvents.Count, late.PendingEvents.Count);
    }

    [Fact]
    public void An_endorsement_cannot_be_withdrawn_once_the_endorsement_deadline_has_passed()
    {
        var endorsed = CommissionRules.Endorse(CommissionWith(_schedule, "ie", "ie-a"), "ie", Ireland, "2025", "ie-a", Now);
        Assert.NotSame(endorsed, CommissionRules.Withdraw(endorsed, "ie", Ireland, "2025", "ie-a", _schedule.ClosesAt));
        Refused(ErrorKind.Conflict, ErrorCodes.DeadlinePassed, () => CommissionRules.Withdraw(endorsed, "ie", Ireland, "2025", "ie-a", _schedule.EndorsementDeadline));

        var processed = CommissionRules.ProcessDeadlines(endorsed, _schedule.EndorsementDeadline);
        Refused(ErrorKind.Conflict, ErrorCodes.DeadlinePassed, () => CommissionRules.Withdraw(processed, "ie", Ireland, "2025", "ie-a", _schedule.EndorsementDeadline));
        Refused(ErrorKind.Conflict, ErrorCodes.DeadlinePassed, () => CommissionRules.Endorse(processed, "ie", Ireland, "2025", "ie-a", _schedule.EndorsementDeadline));
    }

    [Fact]
    public void A_submission_that_reaches_the_commission_after_it_forwarded_ends_not_endorsed_as_not_chosen()
    {
        var endorsed = CommissionRules.Endorse(CommissionWith(_schedule, "ie", "ie-a"), "ie", Ireland, "2025", "ie-a", Now);
        var forwarded = CommissionRules.Forward(endorsed, "ie", Ireland, "2025", _schedule.ClosesAt);
        var late = CommissionRules.ReceiveSubmission(forwarded, "ie", new SubmissionNotice("2025", "ie-b", "B", Now, _schedule, 2), _schedule.ClosesAt.AddDays(1));
        var notice = late.PendingNotices[GrainKeys.Application("2025", "ie-b")];
        Assert.Equal((ApplicationStatus.NotEndorsed, CommissionRules.ReasonNotChosen), (notice.Status, notice.Reason));
        Assert.Equal(1, CommissionRules.EndorsedCount(late.Periods["2025"]));
        Refused(ErrorKind.Conflict, ErrorCodes.AlreadyForwarded, () => CommissionRules.Endorse(late, "ie", Ireland, "2025", "ie-b", _schedule.ClosesAt.AddDays(1)));
    }

    [Fact]
    public void Forwarding_exactly_at_the_endorsement_deadline_is_late()
    {
        var endorsed = CommissionRules.Endorse(CommissionWith(_schedule, "ie", "ie-a"), "ie", Ireland, "2025", "ie-a", Now);
        Assert.NotNull(CommissionRules.Forward(endorsed, "ie", Ireland, "2025", _schedule.EndorsementDeadline.AddTicks(-1)).Periods["2025"].ForwardedAt);
        Refused(ErrorKind.Conflict, ErrorCodes.DeadlinePassed, () => CommissionRules.Forward(endorsed, "ie", Ireland, "2025", _schedule.EndorsementDeadline));
    }

    [Fact]
    public void A_quota_of_one_set_by_the_coordinator_holds_after_a_withdrawal_and_a_new_endorsement()
    {
        var schedule = Schedule(quota: 1);
        var state = CommissionRules.Endorse(CommissionWith(schedule, "ie", "ie-a", "ie-b"), "ie", Ireland, "2025", "ie-a", Now);
        state = CommissionRules.Withdraw(state, "ie", Ireland, "2025", "ie-a", Now);
        state = CommissionRules.Endorse(state, "ie", Ireland, "2025", "ie-b", Now);
        Refused(ErrorKind.Conflict, ErrorCodes.QuotaExceeded, () => CommissionRules.Endorse(state, "ie", Ireland, "2025", "ie-a", Now));
        Assert.Equal(1, CommissionRules.EndorsedCount(state.Periods["2025"]));
    }

    [Fact]
    public void Ending_a_membership_needs_a_reason_and_a_candidate_cannot_be_suspended()
    {
        Refused(ErrorKind.Validation, ErrorCodes.InvalidReason, () => CityRules.EndMembership(Member(), Coordinator, " ", Now));
        Refused(ErrorKind.Conflict, ErrorCodes.NotAMember, () => CityRules.Suspend(Candidate(), Coordinator, "why", Now));
        var ended = CityRules.EndMembership(Member(), Coordinator, "Left", Now);
        Assert.Equal("Left", ended.StatusReason);
        Assert.Same(ended, CityRules.EndMembership(ended, Coordinator, "Left again", Now));
    }

    [Fact]
    public void A_member_two_reports_behind_stays_overdue_until_both_are_filed()
    {
        var member = Member();
        var now = Now.AddYears(4).AddDays(1);
        var overdue = CityRules.ProcessDeadlines(member, now);
        Assert.Equal(CityStatus.ReportOverdue, overdue.Status);

        var first = CityRules.FileProgressReport(overdue, Actor.Mayor(member.Id), new FileProgressReport("First"), now);
        Assert.Equal((CityStatus.ReportOverdue, Now.AddYears(4)), (first.Status, first.NextReportDue));
        Assert.Equal(Now.AddYears(2), first.Reports[^1].DueAt);

        var second = CityRules.FileProgressReport(first, Actor.Mayor(member.Id), new FileProgressReport("Second"), now);
        Assert.Equal((CityStatus.Member, Now.AddYears(6)), (second.Status, second.NextReportDue));
        Assert.Equal(Now.AddYears(6), CityRules.NextDeadline(second));
    }

    [Fact]
    public void A_suspended_or_ended_member_files_no_report_and_no_report_deadline_runs_for_it()
    {
        var suspended = WithStatus(CityStatus.Suspended);
        Refused(ErrorKind.Conflict, ErrorCodes.NotAMember, () => CityRules.FileProgressReport(suspended, Actor.Mayor(suspended.Id), new FileProgressReport("x"), Now));
        Assert.Same(suspended, CityRules.ProcessDeadlines(suspended, Now.AddYears(10)));

        var ended = WithStatus(CityStatus.Ended);
        Refused(ErrorKind.Conflict, ErrorCodes.MembershipEnded, () => CityRules.FileProgressReport(ended, Actor.Mayor(ended.Id), new FileProgressReport("x"), Now));
        Assert.Null(CityRules.NextDeadline(ended));
        Assert.Same(ended, CityRules.ProcessDeadlines(ended, Now.AddYears(10)));
    }

    [Fact]
    public void A_report_filed_after_its_due_date_before_the_reminder_ran_still_records_the_overdue_status()
    {
        var member = Member();
        var due = member.NextReportDue!.Value;
        var filed = CityRules.FileProgressReport(member, Actor.Mayor(member.Id), new FileProgressReport("Late"), due.AddDays(3));

        var events = filed.PendingEvents.Skip(member.PendingEvents.Count).ToList();
        Assert.Equal([(DomainEventType.ProgressReportOverdue, "ReportOverdue", due), (DomainEventType.ProgressReportFiled, "Member", due.AddDays(3))], events.Select(e => (e.Type, e.Status, e.OccurredAt)));
        Assert.True(events[0].Version < events[1].Version);
        Assert.Equal(filed.Version, events[1].Version);
        Assert.Equal((CityStatus.Member, due.AddYears(2)), (filed.Status, filed.NextReportDue));

        var onTime = CityRules.FileProgressReport(member, Actor.Mayor(member.Id), new FileProgressReport("On time"), due.AddTicks(-1));
        Assert.Equal([DomainEventType.ProgressReportFiled], onTime.PendingEvents.Skip(member.PendingEvents.Count).Select(e => e.Type));
    }

    [Fact]
    public void The_overdue_status_is_dated_at_the_due_date_not_when_the_reminder_ran()
    {
        var member = Member();
        var overdue = CityRules.ProcessDeadlines(member, Now.AddYears(2).AddDays(40));
        Assert.Equal(Now.AddYears(2), overdue.PendingEvents[^1].OccurredAt);
        Assert.Same(overdue, CityRules.ProcessDeadlines(overdue, Now.AddYears(2).AddDays(41)));
    }

    [Fact]
    public void Every_status_change_carries_exactly_one_event_with_the_new_version()
    {
        var city = Candidate();
        AssertOneEvent(new CityState(), city, c => c.PendingEvents, c => c.Version);
        var member = CityRules.Admit(city, new AdmissionNotice("2025", city.Id, Now));
        AssertOneEvent(city, member, c => c.PendingEvents, c => c.Version);
        var overdue = CityRules.ProcessDeadlines(member, Now.AddYears(2));
        AssertOneEvent(member, overdue, c => c.PendingEvents, c => c.Version);
        var filed = CityRules.FileProgressReport(overdue, Actor.Mayor(city.Id), new FileProgressReport("x"), Now.AddYears(2));
        AssertOneEvent(overdue, filed, c => c.PendingEvents, c => c.Version);
        var awarded = CityRules.GrantAward(filed, Coordinator, new GrantAward(2025, "c"), Now.AddYears(2));
        AssertOneEvent(filed, awarded, c => c.PendingEvents, c => c.Version);
        var suspended = CityRules.Suspend(awarded, Coordinator, "r", Now.AddYears(2));
        AssertOneEvent(awarded, suspended, c => c.PendingEvents, c => c.Version);
        AssertOneEvent(suspended, CityRules.EndMembership(suspended, Coordinator, "r", Now.AddYears(2)), c => c.PendingEvents, c => c.Version);

        var draft = Draft(_city, _schedule);
        var endorsedDraft = EndorsedDraft(_city, _schedule);
        var submitted = ApplicationRules.Submit(endorsedDraft, Actor.Mayor(_city.Id), _schedule, View(_city), Now);
        AssertOneEvent(endorsedDraft, submitted, a => a.PendingEvents, a => a.Version);
        var endorsed = ApplicationRules.ApplyCommissionNotice(submitted, new CommissionNotice("2025", _city.Id, ApplicationStatus.Endorsed, Now, 1));
        AssertOneEvent(submitted, endorsed, a => a.PendingEvents, a => a.Version);

        var commission = CommissionRules.Endorse(CommissionWith(_schedule, "ie", "ie-a"), "ie", Ireland, "2025", "ie-a", Now);
        AssertOneEvent(commission, CommissionRules.Forward(commission, "ie", Ireland, "2025", _schedule.ClosesAt), c => c.PendingEvents, c => c.Version);

        // Not status changes: drafting, the mayor's endorsement, profile edits and delegates carry no event.
        Assert.Empty(draft.PendingEvents);
        Assert.Empty(endorsedDraft.PendingEvents);
        Assert.Equal(city.PendingEvents.Count, CityRules.UpdateProfile(city, Actor.Mayor(city.Id), new UpdateCityProfile(Population: 7)).PendingEvents.Count);
        Assert.Equal(city.PendingEvents.Count, CityRules.EndorseRepresentative(city, Actor.Mayor(city.Id), "Deputy").PendingEvents.Count);
    }

    private static void AssertOneEvent<T>(T before, T after, Func<T, IReadOnlyList<DomainEvent>> events, Func<T, long> version)
    {
        Assert.Equal(events(before).Count + 1, events(after).Count);
        Assert.Equal(version(after), events(after)[^1].Version);
        Assert.True(version(after) > version(before));
    }

    private CityState WithStatus(CityStatus status) => status switch
    {
        CityStatus.Member => Member(),
        CityStatus.ReportOverdue => CityRules.ProcessDeadlines(Member(), Now.AddYears(2)),
        CityStatus.Suspended => CityRules.Suspend(Member(), Coordinator, "No report", Now),
        CityStatus.Ended => CityRules.EndMembership(Member(), Coordinator, "Left", Now),
        _ => _city,
    };

    private ApplicationState Forwarded()
    {
        var submitted = Submitted(_city, _schedule);
        var endorsed = ApplicationRules.ApplyCommissionNotice(submitted, new CommissionNotice("2025", _city.Id, ApplicationStatus.Endorsed, Now, 1));
        return ApplicationRules.ApplyCommissionNotice(endorsed, new CommissionNotice("2025", _city.Id, ApplicationStatus.Forwarded, Now, 2));
    }
}
