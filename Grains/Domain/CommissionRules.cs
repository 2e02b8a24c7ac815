using System.Collections.Immutable;
using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Commissions;
using Gnlc.Errors;
using Gnlc.Events;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.State;

namespace Gnlc.Domain;

/// <summary>
/// Rules of a National Commission (DOMAIN.md "National Commission"): the quota, endorsement and its
/// withdrawal, forwarding, and the endorsement deadline. The commission's state is the only place the
/// quota is counted, and a grain handles one call at a time, so no interleaving can exceed it.
/// </summary>
public static class CommissionRules
{
    public const string ReasonDeadlinePassed = "deadline-passed";
    public const string ReasonNotForwarded = "endorsed-not-forwarded";
    public const string ReasonNotChosen = "not-endorsed-before-forwarding";

    /// <summary>Records a submitted application; one that arrives after the choice is final ends NotEndorsed.</summary>
    public static CommissionState ReceiveSubmission(CommissionState state, string country, SubmissionNotice notice, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var period = state.Periods.GetValueOrDefault(notice.PeriodId)
            ?? new CommissionPeriod { PeriodId = notice.PeriodId, Schedule = notice.Schedule };
        if (period.Applications.ContainsKey(notice.CityId))
        {
            return state;
        }

        var entry = new CommissionEntry { CityId = notice.CityId, CityName = notice.CityName, Status = ApplicationStatus.Submitted, SubmittedAt = notice.SubmittedAt };
        var next = state with { Country = country, Version = state.Version + 1 };
        var late = period.ForwardedAt is not null || period.DeadlineProcessed || now >= period.Schedule.EndorsementDeadline;
        if (late)
        {
            var reason = period.ForwardedAt is not null ? ReasonNotChosen : ReasonDeadlinePassed;
            return WithEntry(next, period, entry, ApplicationStatus.NotEndorsed, now, reason);
        }

        return next with { Periods = next.Periods.With(period.PeriodId, period.SetEntry(entry)) };
    }

    public static CommissionState Endorse(CommissionState state, string country, Actor actor, string periodId, string cityId, DateTimeOffset now)
    {
        ActorChecks.RequireCommissionOf(actor, country);
        var (period, entry) = Find(state, periodId, cityId);
        if (entry.Status is ApplicationStatus.Endorsed or ApplicationStatus.Forwarded)
        {
            return state;
        }

        RequireNotForwarded(period);
        RequireEndorsementWindow(period, now);
        if (entry.Status != ApplicationStatus.Submitted)
        {
            throw DomainErrors.DeadlinePassed("endorsing this application");
        }

        var quota = period.Schedule.Quota;
        if (EndorsedCount(period) >= quota)
        {
            throw DomainErrors.QuotaExceeded(quota);
        }

        return WithEntry(state with { Version = state.Version + 1 }, period, entry, ApplicationStatus.Endorsed, now);
    }

    public static CommissionState Withdraw(CommissionState state, string country, Actor actor, string periodId, string cityId, DateTimeOffset now)
    {
        ActorChecks.RequireCommissionOf(actor, country);
        var (period, entry) = Find(state, periodId, cityId);
        RequireNotForwarded(period);
        if (entry.Status == ApplicationStatus.Submitted)
        {
            return state;
        }

        RequireEndorsementWindow(period, now);
        if (entry.Status != ApplicationStatus.Endorsed)
        {
            throw DomainErrors.DeadlinePassed("withdrawing this endorsement");
        }

        return WithEntry(state with { Version = state.Version + 1 }, period, entry, ApplicationStatus.Submitted, now);
    }

    /// <summary>
    /// Forwards the endorsed applications once the application window has closed and no later than the
    /// endorsement deadline. The choice is final: the applications not endorsed end NotEndorsed now.
    /// </summary>
    public static CommissionState Forward(CommissionState state, string country, Actor actor, string periodId, DateTimeOffset now)
    {
        ActorChecks.RequireCommissionOf(actor, country);
        if (state.Periods.GetValueOrDefault(periodId) is not { } period)
        {
            throw DomainErrors.Conflict(ErrorCodes.NothingToForward, $"No application was submitted to this commission in period '{periodId}'.");
        }

        if (period.ForwardedAt is not null)
        {
            return state;
        }

        var phase = period.Schedule.PhaseAt(now);
        if (phase is PeriodPhase.Scheduled or PeriodPhase.Open)
        {
            throw DomainErrors.Conflict(ErrorCodes.ApplicationWindowOpen, "Applications are forwarded once the application window has closed.");
        }

        if (phase != PeriodPhase.Endorsement || period.DeadlineProcessed)
        {
            throw DomainErrors.DeadlinePassed("forwarding");
        }

        if (EndorsedCount(period) == 0)
        {
            throw DomainErrors.Conflict(ErrorCodes.NothingToForward, "No application is endorsed; there is nothing to forward.");
        }

        var next = state with { Version = state.Version + 1 };
        foreach (var entry in period.Applications.Values.OrderBy(e => e.CityId, StringComparer.Ordinal))
        {
            var current = next.Periods.GetValueOrDefault(periodId) ?? period;
            next = entry.Status switch
            {
                ApplicationStatus.Endorsed => WithEntry(next, current, entry, ApplicationStatus.Forwarded, now),
                ApplicationStatus.Submitted => WithEntry(next, current, entry, ApplicationStatus.NotEndorsed, now, ReasonNotChosen),
                _ => next,
            };
        }

        var forwarded = next.Periods[periodId] with { ForwardedAt = now, DeadlineProcessed = true };
        var evt = DomainEvents.Commission(DomainEventType.ApplicationsForwarded, country, periodId, ApplicationStatus.Forwarded.ToString(), now, next.Version);
        return next with { Periods = next.Periods.With(periodId, forwarded), PendingEvents = next.PendingEvents.With(evt) };
    }

    /// <summary>
    /// At the endorsement deadline every application still open ends NotEndorsed: submitted ones, and
    /// endorsed ones that were never forwarded (the Coordination Team never received them).
    /// </summary>
    public static CommissionState ProcessDeadlines(CommissionState state, DateTimeOffset now)
    {
        var next = state;
        foreach (var period in state.Periods.Values)
        {
            if (period.DeadlineProcessed || now < period.Schedule.EndorsementDeadline)
            {
                continue;
            }

            next = next with { Version = next.Version + 1 };
            foreach (var entry in period.Applications.Values.OrderBy(e => e.CityId, StringComparer.Ordinal))
            {
                if (entry.Status is ApplicationStatus.Submitted or ApplicationStatus.Endorsed)
                {
                    var reason = entry.Status == ApplicationStatus.Submitted ? ReasonDeadlinePassed : ReasonNotForwarded;
                    next = WithEntry(next, next.Periods[period.PeriodId], entry, ApplicationStatus.NotEndorsed, period.Schedule.EndorsementDeadline, reason);
                }
            }

            next = next with { Periods = next.Periods.With(period.PeriodId, next.Periods[period.PeriodId] with { DeadlineProcessed = true }) };
        }

        return next;
    }

    public static DateTimeOffset? NextDeadline(CommissionState state) =>
        state.Periods.Values.Where(p => !p.DeadlineProcessed).Select(p => (DateTimeOffset?)p.Schedule.EndorsementDeadline).Min();

    public static CommissionPeriodView View(CommissionState state, string country, Actor actor, string periodId, PeriodSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(schedule);
        if (!actor.IsCoordinator)
        {
            ActorChecks.RequireCommissionOf(actor, country);
        }

        var period = state.Periods.GetValueOrDefault(periodId);
        var items = period?.Applications.Values
            .OrderBy(e => e.SubmittedAt).ThenBy(e => e.CityId, StringComparer.Ordinal)
            .Select(e => new CommissionApplication(e.CityId, e.CityName, e.Status, e.SubmittedAt))
            .ToImmutableArray() ?? [];
        return new CommissionPeriodView(country, periodId, items, schedule.Quota, period is null ? 0 : EndorsedCount(period), period?.ForwardedAt, state.Version);
    }

    public static int EndorsedCount(CommissionPeriod period) =>
        period.Applications.Values.Count(e => e.Status is ApplicationStatus.Endorsed or ApplicationStatus.Forwarded);

    private static (CommissionPeriod Period, CommissionEntry Entry) Find(CommissionState state, string periodId, string cityId)
    {
        if (state.Periods.GetValueOrDefault(periodId) is { } period && period.Applications.GetValueOrDefault(cityId) is { } entry)
        {
            return (period, entry);
        }

        throw DomainErrors.ApplicationNotFound(periodId, cityId);
    }

    private static void RequireNotForwarded(CommissionPeriod period)
    {
        if (period.ForwardedAt is not null)
        {
            throw DomainErrors.Conflict(ErrorCodes.AlreadyForwarded, $"This commission forwarded its choice for period '{period.PeriodId}'; it is final.");
        }
    }

    private static void RequireEndorsementWindow(CommissionPeriod period, DateTimeOffset now)
    {
        var phase = period.Schedule.PhaseAt(now);
        if (phase is not (PeriodPhase.Open or PeriodPhase.Endorsement) || period.DeadlineProcessed)
        {
            throw DomainErrors.DeadlinePassed($"endorsements in period '{period.PeriodId}'");
        }
    }

    /// <summary>Sets an entry's status with the next notice version, and queues that notice for the application.</summary>
    private static CommissionState WithEntry(
        CommissionState state, CommissionPeriod period, CommissionEntry entry, ApplicationStatus status, DateTimeOffset at, string? reason = null)
    {
        var changed = entry with { Status = status, Version = entry.Version + 1 };
        var notice = new CommissionNotice(period.PeriodId, entry.CityId, status, at, changed.Version, reason);
        return state with
        {
            Periods = state.Periods.With(period.PeriodId, period.SetEntry(changed)),
            PendingNotices = state.PendingNotices.With(GrainKeys.Application(period.PeriodId, entry.CityId), notice),
        };
    }

    private static CommissionPeriod SetEntry(this CommissionPeriod period, CommissionEntry entry) =>
        period with { Applications = period.Applications.With(entry.CityId, entry) };
}
