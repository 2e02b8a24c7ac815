using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Errors;
using Gnlc.Events;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.State;
using Gnlc.Time;

namespace Gnlc.Domain;

/// <summary>
/// Rules of an application period (DOMAIN.md "Application period"): its schedule, its phases (always
/// computed from the schedule and now), the tally of its applications, and closing.
/// </summary>
public static class PeriodRules
{
    public static CalendarDuration DefaultApplicationWindow { get; } = CalendarDuration.FromMonths(2);

    public static CalendarDuration DefaultEndorsementWindow { get; } = CalendarDuration.FromMonths(1);

    public const int DefaultQuota = 3;
    public const int MaxQuota = 100;

    /// <summary>How far in the past an opening instant may lie (API.md: "more than a minute in the past is a 400").</summary>
    public static readonly TimeSpan OpeningTolerance = TimeSpan.FromMinutes(1);

    /// <summary>The longest window accepted, so a typo cannot schedule a call lasting decades.</summary>
    private static readonly int MaxWindowMonths = 12;

    /// <summary>Validates a scheduling command and computes the schedule with the regulations' defaults.</summary>
    public static PeriodSchedule ScheduleFor(SchedulePeriod command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.OpensAt < now - OpeningTolerance)
        {
            throw DomainErrors.Validation(ErrorCodes.OpensInPast, "'opensAt' must be now or later.");
        }

        return Compute(command);
    }

    /// <summary>The schedule of a call that ended before this system: every phase of it must lie in the past.</summary>
    public static PeriodSchedule PastScheduleFor(SchedulePeriod command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        var schedule = Compute(command);
        return schedule.EndorsementDeadline <= now
            ? schedule
            : throw DomainErrors.Validation(ErrorCodes.PeriodNotPast, $"Period '{schedule.PeriodId}' ends {schedule.EndorsementDeadline:O}; only a call that has ended can be recorded as past.");
    }

    private static PeriodSchedule Compute(SchedulePeriod command)
    {
        var id = GrainKeys.PeriodId(command.Id);

        var applicationWindow = command.ApplicationWindow ?? DefaultApplicationWindow;
        var endorsementWindow = command.EndorsementWindow ?? DefaultEndorsementWindow;
        RequireWindow(applicationWindow, "applicationWindow");
        RequireWindow(endorsementWindow, "endorsementWindow");
        var quota = command.Quota ?? DefaultQuota;
        if (quota is < 1 or > MaxQuota)
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidQuota, $"'quota' must be between 1 and {MaxQuota}.");
        }

        var opensAt = command.OpensAt.ToUniversalTime();
        var closesAt = applicationWindow.AddTo(opensAt);
        var deadline = endorsementWindow.AddTo(closesAt);
        return new PeriodSchedule(id, opensAt, closesAt, deadline, quota, applicationWindow, endorsementWindow);
    }

    /// <summary>Takes the schedule the registry recorded; a schedule is fixed once the period is open.</summary>
    public static PeriodState ApplySchedule(PeriodState state, ScheduleNotice notice, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.Version <= state.ScheduleVersion)
        {
            return state;
        }

        if (notice.ClosedAt is { } closedAt)
        {
            return RecordPast(state, notice, closedAt, now);
        }

        if (state.Schedule is { } current && current.PhaseAt(now) != PeriodPhase.Scheduled)
        {
            return state with { ScheduleVersion = notice.Version };
        }

        var type = state.Schedule is null ? DomainEventType.PeriodScheduled : DomainEventType.PeriodRescheduled;
        var next = state with { Schedule = notice.Schedule, ScheduleVersion = notice.Version, AnnouncedPhase = PeriodPhase.Scheduled, Version = state.Version + 1 };
        var evt = DomainEvents.Period(type, notice.Schedule.PeriodId, PeriodPhase.Scheduled.ToString(), now, next.Version);
        return ProcessDeadlines(next with { PendingEvents = next.PendingEvents.With(evt) }, now);
    }

    /// <summary>A past call arrives closed: no phases to announce, no deadlines to keep, no applications to take.</summary>
    private static PeriodState RecordPast(PeriodState state, ScheduleNotice notice, DateTimeOffset closedAt, DateTimeOffset now)
    {
        if (state.Schedule is not null)
        {
            return state with { ScheduleVersion = notice.Version };
        }

        var version = state.Version + 1;
        var evt = DomainEvents.Period(DomainEventType.PeriodScheduled, notice.Schedule.PeriodId, PeriodPhase.Closed.ToString(), now, version);
        return state with
        {
            Schedule = notice.Schedule,
            ScheduleVersion = notice.Version,
            AnnouncedPhase = PeriodPhase.Closed,
            ClosedAt = closedAt,
            Version = version,
            PendingEvents = state.PendingEvents.With(evt),
        };
    }

    /// <summary>Tallies an application's latest status (deduplicated by the application's version).</summary>
    public static PeriodTallyState ApplyApplicationStatus(PeriodTallyState tally, ApplicationStatusNotice notice)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(notice);
        if (tally.Applications.GetValueOrDefault(notice.CityId) is { } known && known.Version >= notice.ApplicationVersion)
        {
            return tally;
        }

        var tracked = new TrackedApplication { Status = notice.Status, Version = notice.ApplicationVersion };
        return tally with { Applications = tally.Applications.With(notice.CityId, tracked), Version = tally.Version + 1 };
    }

    /// <summary>The tally a period stored before the tally had its own row (empty for any newer period).</summary>
    public static PeriodTallyState LegacyTally(PeriodState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new PeriodTallyState { Applications = state.Applications };
    }

    /// <summary>The coordinator closes a period in Review once every forwarded application is decided.</summary>
    public static PeriodState Close(PeriodState state, PeriodTallyState tally, string periodId, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ActorChecks.RequireCoordinator(actor);
        var schedule = RequireSchedule(state, periodId);
        if (state.ClosedAt is not null)
        {
            return state;
        }

        var phase = schedule.PhaseAt(now);
        if (phase != PeriodPhase.Review)
        {
            throw DomainErrors.Conflict(ErrorCodes.PeriodNotInReview, $"Period '{periodId}' is {phase}; it can be closed only in Review.");
        }

        var undecided = tally.Applications.Values.Count(a => a.Status == ApplicationStatus.Forwarded);
        if (undecided > 0)
        {
            throw DomainErrors.Conflict(ErrorCodes.ApplicationsUndecided, $"{undecided} forwarded application(s) are not decided yet.");
        }

        var next = Announce(ProcessDeadlines(state, now), PeriodPhase.Closed, now);
        return next with { ClosedAt = now };
    }

    /// <summary>Announces every phase the schedule has reached since the last announcement, in order.</summary>
    public static PeriodState ProcessDeadlines(PeriodState state, DateTimeOffset now)
    {
        if (state.Schedule is not { } schedule || state.ClosedAt is not null)
        {
            return state;
        }

        var next = state;
        var reached = schedule.PhaseAt(now);
        for (var phase = next.AnnouncedPhase + 1; phase <= reached; phase++)
        {
            next = Announce(next, phase, StartOf(schedule, phase));
        }

        return next;
    }

    public static DateTimeOffset? NextDeadline(PeriodState state) =>
        state.Schedule is { } schedule && state.ClosedAt is null && state.AnnouncedPhase < PeriodPhase.Review
            ? StartOf(schedule, state.AnnouncedPhase + 1)
            : null;

    /// <summary>The period's view; its version is the sum of the period's and the tally's, so it moves with either.</summary>
    public static PeriodView View(PeriodState state, PeriodTallyState tally, string periodId, DateTimeOffset now) =>
        View(state, Counts(tally), tally.Version, periodId, now);

    /// <summary>The view from counts computed before (<see cref="Counts"/>), so a read need not recount every application.</summary>
    public static PeriodView View(PeriodState state, PeriodCounts counts, long tallyVersion, string periodId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var schedule = RequireSchedule(state, periodId);
        return new PeriodView(periodId, schedule, schedule.PhaseAt(now, state.ClosedAt is not null), counts, state.ClosedAt, state.Version + tallyVersion);
    }

    /// <summary>Counts by status in one pass (a read of the period runs on every submission and save).</summary>
    public static PeriodCounts Counts(PeriodTallyState tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        int submitted = 0, endorsed = 0, forwarded = 0, admitted = 0, declined = 0, notEndorsed = 0;
        foreach (var application in tally.Applications.Values)
        {
            switch (application.Status)
            {
                case ApplicationStatus.Submitted: submitted++; break;
                case ApplicationStatus.Endorsed: endorsed++; break;
                case ApplicationStatus.Forwarded: forwarded++; break;
                case ApplicationStatus.Admitted: admitted++; break;
                case ApplicationStatus.Declined: declined++; break;
                case ApplicationStatus.NotEndorsed: notEndorsed++; break;
            }
        }

        return new PeriodCounts(submitted, endorsed, forwarded, admitted, declined, notEndorsed);
    }

    public static PeriodSchedule RequireSchedule(PeriodState state, string periodId) =>
        state.Schedule ?? throw DomainErrors.PeriodNotFound(periodId);

    private static DateTimeOffset StartOf(PeriodSchedule schedule, PeriodPhase phase) => phase switch
    {
        PeriodPhase.Open => schedule.OpensAt,
        PeriodPhase.Endorsement => schedule.ClosesAt,
        _ => schedule.EndorsementDeadline,
    };

    private static PeriodState Announce(PeriodState state, PeriodPhase phase, DateTimeOffset at)
    {
        var version = state.Version + 1;
        var evt = DomainEvents.Period(DomainEventType.PeriodPhaseChanged, state.Schedule!.PeriodId, phase.ToString(), at, version);
        return state with { AnnouncedPhase = phase, Version = version, PendingEvents = state.PendingEvents.With(evt) };
    }

    private static void RequireWindow(CalendarDuration window, string field)
    {
        var tooLong = window.Months > MaxWindowMonths || window.Days > MaxWindowMonths * 31 || window.Time > TimeSpan.FromDays(MaxWindowMonths * 31);
        if (!window.IsPositive || tooLong)
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidSchedule, $"'{field}' must be a positive duration of at most {MaxWindowMonths} months.");
        }
    }
}
