using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Errors;
using Gnlc.Events;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.State;

namespace Gnlc.Domain;

/// <summary>
/// Rules of a membership application (DOMAIN.md "Membership application"): drafting, the mayor's
/// endorsement, submission, the commission's decisions as they arrive, and the coordinator's decision.
/// </summary>
public static class ApplicationRules
{
    public static ApplicationState SaveDraft(
        ApplicationState state, string periodId, CityView city, Actor actor, ApplicationForm form, PeriodSchedule schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(city);
        ArgumentNullException.ThrowIfNull(schedule);
        ActorChecks.RequireCityDelegate(actor, city.Id, city.Representatives);
        RequireDraft(state);
        RequireNotMember(city);
        var phase = schedule.PhaseAt(now);
        if (phase is not (PeriodPhase.Scheduled or PeriodPhase.Open))
        {
            throw DomainErrors.PeriodNotOpen(periodId, phase.ToString());
        }

        ValidateForm(form);
        if (state.Created && state.Form == form)
        {
            return state;
        }

        // Editing withdraws the mayor's endorsement: the mayor endorses what is submitted.
        return state with
        {
            Created = true,
            PeriodId = periodId,
            CityId = city.Id,
            Country = city.Country,
            CityName = city.Name,
            Form = form,
            MayorEndorsement = null,
            Version = state.Version + 1,
        };
    }

    public static ApplicationState EndorseAsMayor(ApplicationState state, Actor actor, string statement, DateTimeOffset now)
    {
        RequireCreated(state);
        ActorChecks.RequireMayor(actor, state.CityId);
        RequireDraft(state);
        var text = Text.Required(statement, ErrorCodes.InvalidStatement, "statement", Text.MaxLong);
        if (state.MayorEndorsement?.Statement == text)
        {
            return state;
        }

        return state with { MayorEndorsement = new MayorEndorsement(text, now), Version = state.Version + 1 };
    }

    /// <summary>Submits to the National Commission; a retry of a done submission changes nothing.</summary>
    public static ApplicationState Submit(ApplicationState state, Actor actor, PeriodSchedule schedule, CityView city, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(city);
        RequireCreated(state);
        ActorChecks.RequireCityDelegate(actor, state.CityId, city.Representatives);
        if (state.Status != ApplicationStatus.Draft)
        {
            return state;
        }

        var phase = schedule.PhaseAt(now);
        if (phase != PeriodPhase.Open)
        {
            throw DomainErrors.PeriodNotOpen(state.PeriodId, phase.ToString());
        }

        RequireNotMember(city);
        if (state.MayorEndorsement is null)
        {
            throw DomainErrors.Conflict(ErrorCodes.MayorEndorsementRequired, "The mayor must formally endorse the application before it is submitted.");
        }

        var missing = MissingFields(state.Form);
        if (missing.Count > 0)
        {
            throw DomainErrors.Conflict(ErrorCodes.ApplicationIncomplete, $"The application is incomplete: {string.Join(", ", missing)}.");
        }

        var next = Changed(state with { Status = ApplicationStatus.Submitted, SubmittedAt = now, CityName = city.Name }, DomainEventType.ApplicationSubmitted, now);
        return next with { PendingSubmission = new SubmissionNotice(next.PeriodId, next.CityId, next.CityName, now, schedule, next.Version) };
    }

    /// <summary>Applies the commission's latest word on this application (deduplicated by its version).</summary>
    public static ApplicationState ApplyCommissionNotice(ApplicationState state, CommissionNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (!state.Created || notice.Version <= state.CommissionVersion)
        {
            return state;
        }

        var seen = state with { CommissionVersion = notice.Version };
        var applicable = state.Status is ApplicationStatus.Submitted or ApplicationStatus.Endorsed
            && notice.Status is ApplicationStatus.Submitted or ApplicationStatus.Endorsed or ApplicationStatus.Forwarded or ApplicationStatus.NotEndorsed;
        if (!applicable || notice.Status == state.Status)
        {
            return seen;
        }

        var type = notice.Status switch
        {
            ApplicationStatus.Endorsed => DomainEventType.ApplicationEndorsed,
            ApplicationStatus.Submitted => DomainEventType.EndorsementWithdrawn,
            ApplicationStatus.Forwarded => DomainEventType.ApplicationForwarded,
            _ => DomainEventType.ApplicationNotEndorsed,
        };
        return Changed(seen with { Status = notice.Status }, type, notice.At, notice.Reason);
    }

    /// <summary>The coordinator admits or declines a forwarded application while its period is in Review.</summary>
    public static ApplicationState Decide(ApplicationState state, Actor actor, DecideApplication command, PeriodPhase phase, DateTimeOffset now)
    {
        ActorChecks.RequireCoordinator(actor);
        ArgumentNullException.ThrowIfNull(command);
        RequireCreated(state);
        if (!Enum.IsDefined(command.Decision))
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidDecision, "'decision' must be admit or decline.");
        }

        var reason = Text.Required(command.Reason, ErrorCodes.InvalidReason, "reason", Text.MaxLong);
        var outcome = command.Decision == Decision.Admit ? ApplicationStatus.Admitted : ApplicationStatus.Declined;
        if (state.Status is ApplicationStatus.Admitted or ApplicationStatus.Declined)
        {
            return state.Status == outcome
                ? state
                : throw DomainErrors.Conflict(ErrorCodes.AlreadyDecided, $"The application was already {state.Status}.");
        }

        if (phase != PeriodPhase.Review)
        {
            throw phase == PeriodPhase.Closed
                ? DomainErrors.Conflict(ErrorCodes.PeriodClosed, $"Period '{state.PeriodId}' is closed.")
                : DomainErrors.Conflict(ErrorCodes.PeriodNotInReview, $"Period '{state.PeriodId}' is {phase}; decisions are made in Review.");
        }

        if (state.Status != ApplicationStatus.Forwarded)
        {
            throw DomainErrors.Conflict(ErrorCodes.NotForwarded, $"The application is {state.Status}; only forwarded applications are decided.");
        }

        var next = Changed(state with { Status = outcome, DecidedAt = now, DecisionReason = reason }, DomainEventType.ApplicationDecided, now, reason);
        return outcome == ApplicationStatus.Admitted
            ? next with { PendingAdmission = new AdmissionNotice(next.PeriodId, next.CityId, now) }
            : next;
    }

    /// <summary>The city, its commission once submitted, and the coordinator read an application.</summary>
    public static ApplicationView View(ApplicationState state, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        RequireCreated(state);
        var allowed = actor.IsCoordinator
            || actor.IsCity(state.CityId)
            || (actor.IsCommissionOf(state.Country) && state.Status != ApplicationStatus.Draft);
        if (!allowed)
        {
            throw actor.Role switch
            {
                ActorRole.City => DomainErrors.Forbidden(ErrorCodes.NotYourCity, "A city reads only its own applications."),
                ActorRole.Commission when actor.IsCommissionOf(state.Country) => DomainErrors.ApplicationNotFound(state.PeriodId, state.CityId),
                _ => DomainErrors.Forbidden(ErrorCodes.NotYourCountry, "A commission reads only applications submitted to it."),
            };
        }

        return View(state);
    }

    public static ApplicationView View(ApplicationState state) =>
        new(state.PeriodId, state.CityId, state.Country, state.Form, state.Status, state.MayorEndorsement,
            state.SubmittedAt, state.DecidedAt, state.DecisionReason, state.Version);

    /// <summary>Every text of the form that submission requires and that is still empty.</summary>
    public static IReadOnlyList<string> MissingFields(ApplicationForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var missing = new List<string>();
        if (form.Population is not > 0)
        {
            missing.Add("population");
        }

        Check(form.FocalPoint?.Name, "focalPoint.name");
        Check(form.FocalPoint?.Email, "focalPoint.email");
        Check(form.Motivation, "motivation");
        var blocks = form.BuildingBlocks;
        Check(blocks?.InclusiveLearningInEducation, "buildingBlocks.inclusiveLearningInEducation");
        Check(blocks?.LearningInFamiliesAndCommunities, "buildingBlocks.learningInFamiliesAndCommunities");
        Check(blocks?.LearningForAndInTheWorkplace, "buildingBlocks.learningForAndInTheWorkplace");
        Check(blocks?.ModernLearningTechnologies, "buildingBlocks.modernLearningTechnologies");
        Check(blocks?.QualityInLearning, "buildingBlocks.qualityInLearning");
        Check(blocks?.CultureOfLearningThroughoutLife, "buildingBlocks.cultureOfLearningThroughoutLife");
        var conditions = form.FundamentalConditions;
        Check(conditions?.PoliticalWillAndCommitment, "fundamentalConditions.politicalWillAndCommitment");
        Check(conditions?.GovernanceAndParticipation, "fundamentalConditions.governanceAndParticipation");
        Check(conditions?.MobilizationOfResources, "fundamentalConditions.mobilizationOfResources");
        return missing;

        void Check(string? value, string field)
        {
            if (Text.IsBlank(value))
            {
                missing.Add(field);
            }
        }
    }

    /// <summary>A draft may be incomplete, but what it holds must be well formed.</summary>
    public static void ValidateForm(ApplicationForm form)
    {
        if (form is null)
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidForm, "The application form is required.");
        }

        if (form.Population is <= 0)
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidForm, "'population' must be a positive number of inhabitants.");
        }

        if (form.FocalPoint?.Email is { Length: > 0 } email && (!email.Contains('@', StringComparison.Ordinal) || email.Length > Text.MaxShort))
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidForm, "'focalPoint.email' is not an email address.");
        }

        string?[] texts =
        [
            form.FocalPoint?.Name, form.Motivation,
            form.BuildingBlocks?.InclusiveLearningInEducation, form.BuildingBlocks?.LearningInFamiliesAndCommunities,
            form.BuildingBlocks?.LearningForAndInTheWorkplace, form.BuildingBlocks?.ModernLearningTechnologies,
            form.BuildingBlocks?.QualityInLearning, form.BuildingBlocks?.CultureOfLearningThroughoutLife,
            form.FundamentalConditions?.PoliticalWillAndCommitment, form.FundamentalConditions?.GovernanceAndParticipation,
            form.FundamentalConditions?.MobilizationOfResources,
        ];
        if (texts.Any(t => t?.Length > Text.MaxLong))
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidForm, $"A text of the form is longer than {Text.MaxLong} characters.");
        }
    }

    private static void RequireCreated(ApplicationState state)
    {
        if (!state.Created)
        {
            throw DomainErrors.ApplicationNotFound(state.PeriodId, state.CityId);
        }
    }

    private static void RequireDraft(ApplicationState state)
    {
        if (state.Created && state.Status != ApplicationStatus.Draft)
        {
            throw DomainErrors.Conflict(ErrorCodes.AlreadySubmitted, $"The application is {state.Status}; it can no longer be edited.");
        }
    }

    private static void RequireNotMember(CityView city)
    {
        if (CityRules.IsMember(city.Status))
        {
            throw DomainErrors.Conflict(ErrorCodes.AlreadyMember, $"'{city.Id}' is already a member ({city.Status}) and does not apply again.");
        }
    }

    /// <summary>A status change: new version, its event, and the period told of the new status.</summary>
    private static ApplicationState Changed(ApplicationState state, DomainEventType type, DateTimeOffset at, string? reason = null)
    {
        var version = state.Version + 1;
        var evt = DomainEvents.Application(type, state.PeriodId, state.CityId, state.Country, state.Status.ToString(), at, version, reason);
        return state with
        {
            Version = version,
            PendingEvents = state.PendingEvents.With(evt),
            PendingPeriodStatus = new ApplicationStatusNotice(state.PeriodId, state.CityId, state.Status, version),
        };
    }
}
