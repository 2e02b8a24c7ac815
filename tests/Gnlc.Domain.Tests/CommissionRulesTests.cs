using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Errors;
using Gnlc.Events;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.State;
using static Gnlc.Domain.Tests.Given;

namespace Gnlc.Domain.Tests;

public class CommissionRulesTests
{
    private static readonly Actor Ireland = Actor.Commission("IE");
    private readonly PeriodSchedule _schedule = Schedule();

    [Fact]
    public void A_commission_endorses_at_most_its_quota_of_three_cities()
    {
        var state = CommissionWith(_schedule, "ie", "ie-a", "ie-b", "ie-c", "ie-d");
        foreach (var city in new[] { "ie-a", "ie-b", "ie-c" })
        {
            state = CommissionRules.Endorse(state, "ie", Ireland, "2025", city, Now);
        }

        Refused(ErrorKind.Conflict, ErrorCodes.QuotaExceeded, () => CommissionRules.Endorse(state, "ie", Ireland, "2025", "ie-d", Now));
        Assert.Equal(3, CommissionRules.EndorsedCount(state.Periods["2025"]));
        Assert.Equal(ApplicationStatus.Endorsed, state.PendingNotices[GrainKeys.Application("2025", "ie-a")].Status);
    }

    [Fact]
    public void The_quota_is_the_periods_quota()
    {
        var schedule = Schedule(quota: 1);
        var state = CommissionRules.Endorse(CommissionWith(schedule, "ie", "ie-a", "ie-b"), "ie", Ireland, "2025", "ie-a", Now);
        Refused(ErrorKind.Conflict, ErrorCodes.QuotaExceeded, () => CommissionRules.Endorse(state, "ie", Ireland, "2025", "ie-b", Now));
    }

    [Fact]
    public void Endorsing_an_endorsed_application_again_changes_nothing()
    {
        var state = CommissionRules.Endorse(CommissionWith(_schedule, "ie", "ie-a"), "ie", Ireland, "2025", "ie-a", Now);
        Assert.Same(state, CommissionRules.Endorse(state, "ie", Ireland, "2025", "ie-a", Now));
    }

    [Fact]
    public void A_commission_acts_only_for_its_own_country()
    {
        var state = CommissionWith(_schedule, "ie", "ie-a");
        Refused(ErrorKind.Forbidden, ErrorCodes.NotYourCountry, () => CommissionRules.Endorse(state, "ie", Actor.Commission("FR"), "2025", "ie-a", Now));
        Refused(ErrorKind.Forbidden, ErrorCodes.CommissionOnly, () => CommissionRules.Endorse(state, "ie", Actor.Mayor("ie-a"), "2025", "ie-a", Now));
        Refused(ErrorKind.Forbidden, ErrorCodes.CommissionOnly, () => CommissionRules.Forward(state, "ie", Coordinator, "2025", Now));
    }

    [Fact]
    public void Only_applications_submitted_to_it_are_endorsed() =>
        Refused(ErrorKind.NotFound, ErrorCodes.ApplicationNotFound, () => CommissionRules.Endorse(CommissionWith(_schedule, "ie", "ie-a"), "ie", Ireland, "2025", "ie-b", Now));

    [Fact]
    public void Endorsement_is_possible_while_open_or_in_endorsement_and_not_after_the_deadline()
    {
        var state = CommissionWith(_schedule, "ie", "ie-a");
        Assert.NotSame(state, CommissionRules.Endorse(state, "ie", Ireland, "2025", "ie-a", _schedule.ClosesAt));
        Refused(ErrorKind.Conflict, ErrorCodes.DeadlinePassed, () => CommissionRules.Endorse(state, "ie", Ireland, "2025", "ie-a", _schedule.EndorsementDeadline));
    }

    [Fact]
    public void An_endorsement_can_be_withdrawn_before_forwarding_freeing_the_quota()
    {
        var state = CommissionWith(_schedule, "ie", "ie-a", "ie-b", "ie-c", "ie-d");
        foreach (var city in new[] { "ie-a", "ie-b", "ie-c" })
        {
            state = CommissionRules.Endorse(state, "ie", Ireland, "2025", city, Now);
        }

        state = CommissionRules.Withdraw(state, "ie", Ireland, "2025", "ie-b", Now);
        var notice = state.PendingNotices[GrainKeys.Application("2025", "ie-b")];
        Assert.Equal((ApplicationStatus.Submitted, 2L), (notice.Status, notice.Version));
        Assert.Same(state, CommissionRules.Withdraw(state, "ie", Ireland, "2025", "ie-b", Now));
        state = CommissionRules.Endorse(state, "ie", Ireland, "2025", "ie-d", Now);
        Assert.Equal(3, CommissionRules.EndorsedCount(state.Periods["2025"]));
    }

    [Fact]
    public void Forwarding_waits_for_the_application_window_to_close_and_not_past_the_deadline()
    {
        var state = CommissionRules.Endorse(CommissionWith(_schedule, "ie", "ie-a"), "ie", Ireland, "2025", "ie-a", Now);
        Refused(ErrorKind.Conflict, ErrorCodes.ApplicationWindowOpen, () => CommissionRules.Forward(state, "ie", Ireland, "2025", Now));
        Refused(ErrorKind.Conflict, ErrorCodes.DeadlinePassed, () => CommissionRules.Forward(state, "ie", Ireland, "2025", _schedule.EndorsementDeadline));
        Refused(ErrorKind.Conflict, ErrorCodes.NothingToForward, () => CommissionRules.Forward(CommissionWith(_schedule, "ie", "ie-a"), "ie", Ireland, "2025", _schedule.ClosesAt));
        Refused(ErrorKind.Conflict, ErrorCodes.NothingToForward, () => CommissionRules.Forward(new CommissionState(), "ie", Ireland, "2025", _schedule.ClosesAt));
    }

    [Fact]
    public void Forwarding_is_final_and_the_applications_not_chosen_end_not_endorsed()
    {
        var state = CommissionRules.Endorse(CommissionWith(_schedule, "ie", "ie-a", "ie-b"), "ie", Ireland, "2025", "ie-a", Now);
        var at = _schedule.ClosesAt.AddDays(1);
        var forwarded = CommissionRules.Forward(state, "ie", Ireland, "2025", at);
        var period = forwarded.Periods["2025"];
        Assert.Equal(at, period.ForwardedAt);
        Assert.Equal(ApplicationStatus.Forwarded, period.Applications["ie-a"].Status);
        Assert.Equal(ApplicationStatus.NotEndorsed, period.Applications["ie-b"].Status);
        Assert.Equal(DomainEventType.ApplicationsForwarded, Assert.Single(forwarded.PendingEvents).Type);
        Assert.Null(CommissionRules.NextDeadline(forwarded));

        Assert.Same(forwarded, CommissionRules.Forward(forwarded, "ie", Ireland, "2025", at));
        Refused(ErrorKind.Conflict, ErrorCodes.AlreadyForwarded, () => CommissionRules.Withdraw(forwarded, "ie", Ireland, "2025", "ie-a", at));
        Refused(ErrorKind.Conflict, ErrorCodes.AlreadyForwarded, () => CommissionRules.Endorse(forwarded, "ie", Ireland, "2025", "ie-b", at));
    }

    [Fact]
    public void At_the_deadline_submitted_and_endorsed_but_unforwarded_applications_end_not_endorsed()
    {
        var state = CommissionRules.Endorse(CommissionWith(_schedule, "ie", "ie-a", "ie-b"), "ie", Ireland, "2025", "ie-a", Now);
        Assert.Equal(_schedule.EndorsementDeadline, CommissionRules.NextDeadline(state));
        Assert.Same(state, CommissionRules.ProcessDeadlines(state, _schedule.EndorsementDeadline.AddTicks(-1)));

        var done = CommissionRules.ProcessDeadlines(state, _schedule.EndorsementDeadline.AddDays(30));
        var a = done.PendingNotices[GrainKeys.Application("2025", "ie-a")];
        var b = done.PendingNotices[GrainKeys.Application("2025", "ie-b")];
        Assert.Equal((ApplicationStatus.NotEndorsed, CommissionRules.ReasonNotForwarded), (a.Status, a.Reason));
        Assert.Equal((ApplicationStatus.NotEndorsed, CommissionRules.ReasonDeadlinePassed), (b.Status, b.Reason));
        Assert.Equal(_schedule.EndorsementDeadline, b.At);
        Assert.Null(CommissionRules.NextDeadline(done));
        Assert.Same(done, CommissionRules.ProcessDeadlines(done, _schedule.EndorsementDeadline.AddDays(60)));
    }

    [Fact]
    public void A_submission_received_twice_is_recorded_once_and_a_late_one_ends_not_endorsed()
    {
        var notice = new SubmissionNotice("2025", "ie-a", "A", Now, _schedule, 2);
        var once = CommissionRules.ReceiveSubmission(new CommissionState(), "ie", notice, Now);
        Assert.Same(once, CommissionRules.ReceiveSubmission(once, "ie", notice, Now));
        Assert.Empty(once.PendingNotices);

        var late = CommissionRules.ReceiveSubmission(new CommissionState(), "ie", notice, _schedule.EndorsementDeadline);
        Assert.Equal(ApplicationStatus.NotEndorsed, late.PendingNotices[GrainKeys.Application("2025", "ie-a")].Status);
    }

    [Fact]
    public void The_commission_and_the_coordinator_read_the_applications_submitted_to_it()
    {
        var state = CommissionWith(_schedule, "ie", "ie-b", "ie-a");
        var view = CommissionRules.View(state, "ie", Ireland, "2025", _schedule);
        Assert.Equal(2, view.Items.Length);
        Assert.Equal(3, view.Quota);
        Assert.NotNull(CommissionRules.View(state, "ie", Coordinator, "2025", _schedule));
        Refused(ErrorKind.Forbidden, ErrorCodes.NotYourCountry, () => CommissionRules.View(state, "ie", Actor.Commission("GB"), "2025", _schedule));
    }
}
