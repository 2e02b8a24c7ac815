using Gnlc.Actors;
using Gnlc.Cities;
using Gnlc.Errors;
using Gnlc.Events;
using Gnlc.Network;
using Gnlc.Notices;
using Gnlc.Reference;
using Gnlc.State;

namespace Gnlc.Domain;

/// <summary>
/// Rules of a city: registration, profile, delegates, membership, progress reports and awards
/// (DOMAIN.md "Members", "Coordination Team"). Each returns the next state, or the same instance
/// when nothing changes (an idempotent retry), or throws a <see cref="DomainException"/>.
/// </summary>
public static class CityRules
{
    /// <summary>Progress reports are due every two calendar years.</summary>
    public const int ReportCycleYears = 2;

    public const int FirstAwardYear = 2015;

    public static CityState Register(CityState state, string cityId, Actor actor, RegisterCity command, DateTimeOffset now)
    {
        ActorChecks.RequireCoordinator(actor);
        ArgumentNullException.ThrowIfNull(command);
        var name = Text.Required(command.Name, ErrorCodes.InvalidCityName, "name");
        var country = GrainKeys.NormalizeCountry(command.CountryCode);
        if (!MemberStates.TryGet(country, out _))
        {
            throw DomainErrors.Validation(ErrorCodes.UnknownMemberState, $"'{command.CountryCode}' is not a UNESCO Member State or Associate Member.");
        }

        // A candidate states its population and mayor; an imported member (memberSince) may leave them unknown.
        var imported = command.MemberSince is not null;
        if (command.Population is not null || !imported)
        {
            RequirePopulation(command.Population);
        }

        var mayor = command.Mayor is null && imported ? null : Text.Required(command.Mayor, ErrorCodes.InvalidMayor, "mayor");
        if (GrainKeys.NewCityId(country, name) != cityId)
        {
            throw DomainErrors.Validation(ErrorCodes.CityIdMismatch, $"City '{name}' in '{country}' has id '{GrainKeys.NewCityId(country, name)}', not '{cityId}'.");
        }

        if (command.MemberSince > now)
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidSchedule, "'memberSince' cannot be in the future.");
        }

        if (state.Registered)
        {
            var same = state.Name == name && state.Country == country && state.Population == command.Population
                && state.Mayor == mayor && state.MemberSince == command.MemberSince;
            return same ? state : throw DomainErrors.Conflict(ErrorCodes.CityAlreadyRegistered, $"City '{cityId}' is already registered.");
        }

        var next = state with
        {
            Registered = true,
            Id = cityId,
            Name = name,
            // One string per country code, not one per city: the state lives as long as the city's activation.
            Country = string.Intern(country),
            Population = command.Population,
            Mayor = mayor,
            Status = command.MemberSince is null ? CityStatus.Candidate : CityStatus.Member,
            MemberSince = command.MemberSince,
            NextReportDue = command.MemberSince is { } since ? ImportedReportDue(since, now) : null,
        };
        return Changed(next, DomainEventType.CityRegistered, now);
    }

    public static CityState UpdateProfile(CityState state, Actor actor, UpdateCityProfile command)
    {
        RequireRegistered(state);
        ActorChecks.RequireCityDelegate(actor, state.Id, state.Representatives);
        ArgumentNullException.ThrowIfNull(command);
        var name = command.Name is null ? state.Name : Text.Required(command.Name, ErrorCodes.InvalidCityName, "name");
        var mayor = command.Mayor is null ? state.Mayor : Text.Required(command.Mayor, ErrorCodes.InvalidMayor, "mayor");
        if (command.Population is { } population)
        {
            RequirePopulation(population);
        }

        var next = state with { Name = name, Mayor = mayor, Population = command.Population ?? state.Population };
        return next == state ? state : Touched(next);
    }

    public static CityState EndorseRepresentative(CityState state, Actor actor, string name)
    {
        RequireRegistered(state);
        ActorChecks.RequireMayor(actor, state.Id);
        var representative = Text.Required(name, ErrorCodes.InvalidRepresentative, "name");
        if (state.Representatives.Contains(representative, StringComparer.OrdinalIgnoreCase))
        {
            return state;
        }

        return Touched(state with { Representatives = state.Representatives.With(representative) });
    }

    /// <summary>
    /// Files the report now due. It covers the current due date, may be filed once the previous due
    /// date has passed (or from memberSince for the first), and moves the due date two years on.
    /// A report filed after its due date, before the reminder ran, first records the overdue status
    /// the due date brought (with its event, dated at the due date): the rule is applied by time, and a
    /// late reminder must not erase it from the city's history.
    /// </summary>
    public static CityState FileProgressReport(CityState state, Actor actor, FileProgressReport command, DateTimeOffset now)
    {
        RequireRegistered(state);
        ActorChecks.RequireCityDelegate(actor, state.Id, state.Representatives);
        ArgumentNullException.ThrowIfNull(command);
        RequireActiveMember(state);
        var summary = Text.Required(command.Summary, ErrorCodes.InvalidReport, "summary", Text.MaxLong);
        RequireKeyFeatureAreas(command.KeyFeatures);
        state = ProcessDeadlines(state, now);
        var due = state.NextReportDue ?? throw new InvalidOperationException("An active member always has a report due.");
        if (now < due.AddYears(-ReportCycleYears))
        {
            throw DomainErrors.Conflict(ErrorCodes.ReportNotYetDue, $"The next report is due {due:O}; it can be filed once the previous due date has passed.");
        }

        var nextDue = due.AddYears(ReportCycleYears);
        var report = new ProgressReport(due, now, summary, new Dictionary<string, string>(command.KeyFeatures ?? new Dictionary<string, string>(), StringComparer.Ordinal));
        var next = state with
        {
            Reports = state.Reports.With(report),
            NextReportDue = nextDue,
            Status = now >= nextDue ? CityStatus.ReportOverdue : CityStatus.Member,
        };
        return Changed(next, DomainEventType.ProgressReportFiled, now);
    }

    public static CityState Suspend(CityState state, Actor actor, string reason, DateTimeOffset now)
    {
        ActorChecks.RequireCoordinator(actor);
        RequireRegistered(state);
        var why = Text.Required(reason, ErrorCodes.InvalidReason, "reason", Text.MaxLong);
        if (state.Status == CityStatus.Suspended)
        {
            return state;
        }

        RequireActiveMember(state);
        return Changed(state with { Status = CityStatus.Suspended, StatusReason = why }, DomainEventType.MembershipChanged, now, why);
    }

    public static CityState EndMembership(CityState state, Actor actor, string reason, DateTimeOffset now)
    {
        ActorChecks.RequireCoordinator(actor);
        RequireRegistered(state);
        var why = Text.Required(reason, ErrorCodes.InvalidReason, "reason", Text.MaxLong);
        switch (state.Status)
        {
            case CityStatus.Ended:
                return state;
            case CityStatus.Candidate:
                throw NotAMember(state);
        }

        var next = state with { Status = CityStatus.Ended, StatusReason = why, NextReportDue = null };
        return Changed(next, DomainEventType.MembershipChanged, now, why);
    }

    public static CityState GrantAward(CityState state, Actor actor, GrantAward command, DateTimeOffset now)
    {
        ActorChecks.RequireCoordinator(actor);
        RequireRegistered(state);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Year < FirstAwardYear || command.Year > now.Year + 1)
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidAwardYear, $"The award edition must be between {FirstAwardYear} and {now.Year + 1}.");
        }

        var citation = Text.Required(command.Citation, ErrorCodes.InvalidCitation, "citation", Text.MaxLong);
        if (state.Awards.FirstOrDefault(a => a.Year == command.Year) is { } granted)
        {
            return granted.Citation == citation
                ? state
                : throw DomainErrors.Conflict(ErrorCodes.AwardAlreadyGranted, $"'{state.Id}' already holds the {command.Year} award.");
        }

        RequireActiveMember(state);
        return Changed(state with { Awards = state.Awards.With(new Award(command.Year, citation, now)) }, DomainEventType.AwardGranted, now);
    }

    /// <summary>
    /// An imported award: an awardee absent from the network is registered as a member first, and both
    /// changes stand or fall together (the caller writes the result once).
    /// </summary>
    public static CityState ImportAward(CityState state, string cityId, Actor actor, RegisterCity registration, GrantAward award, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var registered = state.Registered ? state : Register(state, cityId, actor, registration, now);
        return GrantAward(registered, actor, award, now);
    }

    /// <summary>The Coordination Team admitted the city's application: it becomes a member (once per period).</summary>
    public static CityState Admit(CityState state, AdmissionNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        RequireRegistered(state);
        if (state.Admissions.Contains(notice.PeriodId))
        {
            return state;
        }

        var admitted = state with { Admissions = state.Admissions.With(notice.PeriodId) };
        if (state.Status is not (CityStatus.Candidate or CityStatus.Ended))
        {
            // Already a member through another path: record the admission, change nothing else.
            return Touched(admitted);
        }

        var next = admitted with
        {
            Status = CityStatus.Member,
            MemberSince = notice.AdmittedAt,
            NextReportDue = notice.AdmittedAt.AddYears(ReportCycleYears),
            StatusReason = null,
        };
        return Changed(next, DomainEventType.MembershipChanged, notice.AdmittedAt);
    }

    /// <summary>A member whose report due date has passed becomes ReportOverdue (reminder, never a caller).</summary>
    public static CityState ProcessDeadlines(CityState state, DateTimeOffset now)
    {
        if (state.Status != CityStatus.Member || state.NextReportDue is not { } due || now < due)
        {
            return state;
        }

        return Changed(state with { Status = CityStatus.ReportOverdue }, DomainEventType.ProgressReportOverdue, due);
    }

    public static DateTimeOffset? NextDeadline(CityState state) =>
        state.Status == CityStatus.Member ? state.NextReportDue : null;

    public static CityView View(CityState state)
    {
        RequireRegistered(state);
        return new CityView(
            state.Id, state.Name, state.Country, state.Population, state.Mayor, state.Status, state.MemberSince,
            [.. state.Representatives], state.NextReportDue, [.. state.Reports], [.. state.Awards], state.StatusReason, state.Version);
    }

    public static CitySummary Summary(CityState state) =>
        new(state.Id, state.Name, state.Country, state.Status, state.Population, state.MemberSince, new List<Award>(state.Awards), state.Version);

    /// <summary>An imported member's next due date: the first two-year step after memberSince that is still ahead.</summary>
    public static DateTimeOffset ImportedReportDue(DateTimeOffset memberSince, DateTimeOffset now)
    {
        var due = memberSince.AddYears(ReportCycleYears);
        while (due <= now)
        {
            due = due.AddYears(ReportCycleYears);
        }

        return due;
    }

    public static bool IsMember(CityStatus status) => status is CityStatus.Member or CityStatus.ReportOverdue or CityStatus.Suspended;

    private static void RequirePopulation(long? population)
    {
        if (population is not > 0)
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidPopulation, "'population' must be a positive number of inhabitants.");
        }
    }

    /// <summary>A progress report answers per area of focus of the Key Features: its keys are area codes (1.1–3.3).</summary>
    private static void RequireKeyFeatureAreas(IReadOnlyDictionary<string, string>? keyFeatures)
    {
        var unknown = (keyFeatures?.Keys ?? []).Where(k => !KeyFeatures.IsArea(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw DomainErrors.Validation(
                ErrorCodes.UnknownKeyFeature,
                $"'keyFeatures' keys must be areas of focus of the Key Features ({string.Join(", ", KeyFeatures.AreaCodes)}), not {string.Join(", ", unknown.Select(k => $"'{k}'"))}.");
        }
    }

    private static void RequireRegistered(CityState state)
    {
        if (!state.Registered)
        {
            throw DomainErrors.CityNotFound(state.Id);
        }
    }

    private static void RequireActiveMember(CityState state)
    {
        if (state.Status is not (CityStatus.Member or CityStatus.ReportOverdue))
        {
            throw state.Status == CityStatus.Ended
                ? DomainErrors.Conflict(ErrorCodes.MembershipEnded, $"The membership of '{state.Id}' has ended.")
                : NotAMember(state);
        }
    }

    private static DomainException NotAMember(CityState state) =>
        DomainErrors.Conflict(ErrorCodes.NotAMember, $"'{state.Id}' is {state.Status}, not an active member.");

    /// <summary>A change that is not a status change: new version, directory summary refreshed.</summary>
    private static CityState Touched(CityState state)
    {
        var next = state with { Version = state.Version + 1 };
        return next with { PendingSummary = Summary(next) };
    }

    /// <summary>A status change: new version, its event, directory summary refreshed.</summary>
    private static CityState Changed(CityState state, DomainEventType type, DateTimeOffset at, string? reason = null)
    {
        var next = Touched(state);
        var evt = DomainEvents.City(type, next.Id, next.Country, next.Status.ToString(), at, next.Version, reason);
        return next with { PendingEvents = next.PendingEvents.With(evt) };
    }
}
