using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Errors;
using Gnlc.Events;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.State;
using static Gnlc.Domain.Tests.Given;

namespace Gnlc.Domain.Tests;

public class ApplicationRulesTests
{
    private readonly CityState _city = CityRules.EndorseRepresentative(Candidate(), Actor.Mayor(Candidate().Id), "Deputy");
    private readonly PeriodSchedule _schedule = Schedule();

    [Fact]
    public void The_city_saves_a_draft_that_may_be_incomplete()
    {
        var draft = ApplicationRules.SaveDraft(new ApplicationState(), "2025", View(_city), Actor.Representative(_city.Id, "Deputy"), ApplicationForm.Empty, _schedule, Now);
        Assert.True(draft.Created);
        Assert.Equal(ApplicationStatus.Draft, draft.Status);
        Assert.Equal("ie", draft.Country);
    }

    [Fact]
    public void Only_the_city_itself_drafts_its_application()
    {
        Refused(ErrorKind.Forbidden, ErrorCodes.NotYourCity, () => ApplicationRules.SaveDraft(new ApplicationState(), "2025", View(_city), Actor.Mayor("ie-cork"), CompleteForm(), _schedule, Now));
        Refused(ErrorKind.Forbidden, ErrorCodes.CityOnly, () => ApplicationRules.SaveDraft(new ApplicationState(), "2025", View(_city), Coordinator, CompleteForm(), _schedule, Now));
    }

    [Fact]
    public void A_representative_the_mayor_has_not_endorsed_neither_drafts_nor_submits()
    {
        var stranger = Actor.Representative(_city.Id, "Stranger");
        Refused(ErrorKind.Forbidden, ErrorCodes.RepresentativeNotEndorsed,
            () => ApplicationRules.SaveDraft(new ApplicationState(), "2025", View(_city), stranger, CompleteForm(), _schedule, Now));
        Refused(ErrorKind.Forbidden, ErrorCodes.RepresentativeNotEndorsed,
            () => ApplicationRules.SaveDraft(new ApplicationState(), "2025", View(_city), Actor.Representative(_city.Id, null), CompleteForm(), _schedule, Now));
        Refused(ErrorKind.Forbidden, ErrorCodes.RepresentativeNotEndorsed,
            () => ApplicationRules.Submit(EndorsedDraft(_city, _schedule), stranger, _schedule, View(_city), Now));
        var submitted = ApplicationRules.Submit(EndorsedDraft(_city, _schedule), Actor.Representative(_city.Id, "deputy"), _schedule, View(_city), Now);
        Assert.Equal(ApplicationStatus.Submitted, submitted.Status);
    }

    [Fact]
    public void Drafts_are_refused_once_the_application_window_closed() =>
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodNotOpen, () => ApplicationRules.SaveDraft(new ApplicationState(), "2025", View(_city), Actor.Mayor(_city.Id), CompleteForm(), _schedule, _schedule.ClosesAt));

    [Fact]
    public void A_malformed_draft_is_a_validation_error() =>
        Refused(ErrorKind.Validation, ErrorCodes.InvalidForm, () => Draft(_city, _schedule, CompleteForm() with { FocalPoint = new FocalPoint("x", "not-an-email") }));

    [Fact]
    public void Only_the_mayor_endorses_the_application()
    {
        var draft = Draft(_city, _schedule);
        Refused(ErrorKind.Forbidden, ErrorCodes.MayorOnly, () => ApplicationRules.EndorseAsMayor(draft, Actor.Representative(_city.Id, "Deputy"), "yes", Now));
        Refused(ErrorKind.Validation, ErrorCodes.InvalidStatement, () => ApplicationRules.EndorseAsMayor(draft, Actor.Mayor(_city.Id), " ", Now));
        var endorsed = ApplicationRules.EndorseAsMayor(draft, Actor.Mayor(_city.Id), "yes", Now);
        Assert.Equal(new MayorEndorsement("yes", Now), endorsed.MayorEndorsement);
    }

    [Fact]
    public void Editing_a_draft_after_the_mayors_endorsement_withdraws_it_but_saving_the_same_form_does_not()
    {
        var endorsed = EndorsedDraft(_city, _schedule);
        Assert.Same(endorsed, ApplicationRules.SaveDraft(endorsed, "2025", View(_city), Actor.Mayor(_city.Id), CompleteForm(), _schedule, Now));
        var edited = ApplicationRules.SaveDraft(endorsed, "2025", View(_city), Actor.Mayor(_city.Id), CompleteForm() with { Motivation = "New" }, _schedule, Now);
        Assert.Null(edited.MayorEndorsement);
    }

    [Fact]
    public void Submission_needs_the_mayors_endorsement() =>
        Refused(ErrorKind.Conflict, ErrorCodes.MayorEndorsementRequired, () => ApplicationRules.Submit(Draft(_city, _schedule), Actor.Mayor(_city.Id), _schedule, View(_city), Now));

    [Fact]
    public void Submission_needs_every_text_of_the_form()
    {
        var incomplete = CompleteForm() with { BuildingBlocks = new BuildingBlocks("a", "b", "c", "d", "e", " ") };
        var draft = ApplicationRules.EndorseAsMayor(Draft(_city, _schedule, incomplete), Actor.Mayor(_city.Id), "yes", Now);
        var refusal = Refusal(() => ApplicationRules.Submit(draft, Actor.Mayor(_city.Id), _schedule, View(_city), Now));
        Assert.Equal(ErrorCodes.ApplicationIncomplete, refusal.Code);
        Assert.Contains("cultureOfLearningThroughoutLife", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(13, ApplicationRules.MissingFields(ApplicationForm.Empty).Count);
    }

    [Fact]
    public void Submission_happens_only_while_the_period_is_open()
    {
        var draft = EndorsedDraft(_city, _schedule);
        var later = Schedule(opensAt: Now.AddDays(1));
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodNotOpen, () => ApplicationRules.Submit(draft, Actor.Mayor(_city.Id), later, View(_city), Now));
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodNotOpen, () => ApplicationRules.Submit(draft, Actor.Mayor(_city.Id), _schedule, View(_city), _schedule.ClosesAt));
    }

    [Fact]
    public void A_member_city_does_not_apply_again()
    {
        var member = View(Member());
        Refused(ErrorKind.Conflict, ErrorCodes.AlreadyMember, () => ApplicationRules.SaveDraft(new ApplicationState(), "2025", member, Actor.Mayor(member.Id), CompleteForm(), _schedule, Now));
        Refused(ErrorKind.Conflict, ErrorCodes.AlreadyMember, () => ApplicationRules.Submit(EndorsedDraft(_city, _schedule), Actor.Mayor(_city.Id), _schedule, member, Now));
    }

    [Fact]
    public void Submitting_notifies_the_commission_and_the_period_and_a_retry_changes_nothing()
    {
        var submitted = Submitted(_city, _schedule);
        Assert.Equal(ApplicationStatus.Submitted, submitted.Status);
        Assert.Equal(Now, submitted.SubmittedAt);
        Assert.Equal(new SubmissionNotice("2025", _city.Id, "Dublin", Now, _schedule, submitted.Version), submitted.PendingSubmission);
        Assert.Equal(ApplicationStatus.Submitted, submitted.PendingPeriodStatus!.Status);
        Assert.Equal(DomainEventType.ApplicationSubmitted, Assert.Single(submitted.PendingEvents).Type);
        Assert.Same(submitted, ApplicationRules.Submit(submitted, Actor.Mayor(_city.Id), _schedule, View(_city), Now));
    }

    [Fact]
    public void Editing_after_submission_is_refused()
    {
        var submitted = Submitted(_city, _schedule);
        Refused(ErrorKind.Conflict, ErrorCodes.AlreadySubmitted, () => ApplicationRules.SaveDraft(submitted, "2025", View(_city), Actor.Mayor(_city.Id), CompleteForm(), _schedule, Now));
        Refused(ErrorKind.Conflict, ErrorCodes.AlreadySubmitted, () => ApplicationRules.EndorseAsMayor(submitted, Actor.Mayor(_city.Id), "again", Now));
    }

    [Fact]
    public void Commission_notices_apply_once_in_version_order()
    {
        var submitted = Submitted(_city, _schedule);
        var endorsed = ApplicationRules.ApplyCommissionNotice(submitted, new CommissionNotice("2025", _city.Id, ApplicationStatus.Endorsed, Now, 1));
        Assert.Equal(ApplicationStatus.Endorsed, endorsed.Status);
        Assert.Equal(DomainEventType.ApplicationEndorsed, endorsed.PendingEvents[^1].Type);
        Assert.Same(endorsed, ApplicationRules.ApplyCommissionNotice(endorsed, new CommissionNotice("2025", _city.Id, ApplicationStatus.Endorsed, Now, 1)));

        var withdrawn = ApplicationRules.ApplyCommissionNotice(endorsed, new CommissionNotice("2025", _city.Id, ApplicationStatus.Submitted, Now, 2));
        Assert.Equal(DomainEventType.EndorsementWithdrawn, withdrawn.PendingEvents[^1].Type);
        var stale = ApplicationRules.ApplyCommissionNotice(withdrawn, new CommissionNotice("2025", _city.Id, ApplicationStatus.Endorsed, Now, 1));
        Assert.Same(withdrawn, stale);

        var notEndorsed = ApplicationRules.ApplyCommissionNotice(withdrawn, new CommissionNotice("2025", _city.Id, ApplicationStatus.NotEndorsed, Now, 3, "deadline-passed"));
        Assert.Equal(ApplicationStatus.NotEndorsed, notEndorsed.Status);
        Assert.Equal("deadline-passed", notEndorsed.PendingEvents[^1].Reason);
    }

    [Fact]
    public void The_coordinator_decides_forwarded_applications_in_review_and_admission_tells_the_city()
    {
        var forwarded = Forwarded();
        Refused(ErrorKind.Forbidden, ErrorCodes.CoordinatorOnly, () => ApplicationRules.Decide(forwarded, Actor.Commission("IE"), new DecideApplication(Decision.Admit, "ok"), PeriodPhase.Review, Now));
        Refused(ErrorKind.Validation, ErrorCodes.InvalidReason, () => ApplicationRules.Decide(forwarded, Coordinator, new DecideApplication(Decision.Admit, ""), PeriodPhase.Review, Now));
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodNotInReview, () => ApplicationRules.Decide(forwarded, Coordinator, new DecideApplication(Decision.Admit, "ok"), PeriodPhase.Endorsement, Now));
        Refused(ErrorKind.Conflict, ErrorCodes.PeriodClosed, () => ApplicationRules.Decide(forwarded, Coordinator, new DecideApplication(Decision.Admit, "ok"), PeriodPhase.Closed, Now));
        Refused(ErrorKind.Conflict, ErrorCodes.NotForwarded, () => ApplicationRules.Decide(Submitted(_city, _schedule), Coordinator, new DecideApplication(Decision.Admit, "ok"), PeriodPhase.Review, Now));

        var admitted = ApplicationRules.Decide(forwarded, Coordinator, new DecideApplication(Decision.Admit, "Strong"), PeriodPhase.Review, Now);
        Assert.Equal(ApplicationStatus.Admitted, admitted.Status);
        Assert.Equal(new AdmissionNotice("2025", _city.Id, Now), admitted.PendingAdmission);
        Assert.Equal(DomainEventType.ApplicationDecided, admitted.PendingEvents[^1].Type);
        Assert.Same(admitted, ApplicationRules.Decide(admitted, Coordinator, new DecideApplication(Decision.Admit, "Strong"), PeriodPhase.Review, Now));
        Refused(ErrorKind.Conflict, ErrorCodes.AlreadyDecided, () => ApplicationRules.Decide(admitted, Coordinator, new DecideApplication(Decision.Decline, "No"), PeriodPhase.Review, Now));

        var declined = ApplicationRules.Decide(forwarded, Coordinator, new DecideApplication(Decision.Decline, "Weak"), PeriodPhase.Review, Now);
        Assert.Null(declined.PendingAdmission);
    }

    [Fact]
    public void The_city_its_commission_once_submitted_and_the_coordinator_read_an_application()
    {
        var draft = Draft(_city, _schedule);
        Assert.NotNull(ApplicationRules.View(draft, Actor.Representative(_city.Id, "Deputy")));
        Assert.NotNull(ApplicationRules.View(draft, Coordinator));
        Refused(ErrorKind.NotFound, ErrorCodes.ApplicationNotFound, () => ApplicationRules.View(draft, Actor.Commission("IE")));
        Refused(ErrorKind.Forbidden, ErrorCodes.NotYourCountry, () => ApplicationRules.View(draft, Actor.Commission("FR")));
        Refused(ErrorKind.Forbidden, ErrorCodes.NotYourCity, () => ApplicationRules.View(draft, Actor.Mayor("ie-cork")));
        Assert.NotNull(ApplicationRules.View(Submitted(_city, _schedule), Actor.Commission("ie")));
    }

    private ApplicationState Forwarded()
    {
        var submitted = Submitted(_city, _schedule);
        var endorsed = ApplicationRules.ApplyCommissionNotice(submitted, new CommissionNotice("2025", _city.Id, ApplicationStatus.Endorsed, Now, 1));
        return ApplicationRules.ApplyCommissionNotice(endorsed, new CommissionNotice("2025", _city.Id, ApplicationStatus.Forwarded, Now, 2));
    }
}
