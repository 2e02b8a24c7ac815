using Gnlc.Time;

namespace Gnlc.Periods;

/// <summary>Phases of an application period, advanced by time (and Closed by the coordinator).</summary>
public enum PeriodPhase
{
    Scheduled,
    Open,
    Endorsement,
    Review,
    Closed,
}

/// <summary>Schedule a period (coordinator); windows and quota default to the regulations (P2M, P1M, 3).</summary>
[GenerateSerializer, Immutable, Alias("gnlc.SchedulePeriod")]
public sealed record SchedulePeriod(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset OpensAt,
    [property: Id(2)] CalendarDuration? ApplicationWindow = null,
    [property: Id(3)] CalendarDuration? EndorsementWindow = null,
    [property: Id(4)] int? Quota = null);

/// <summary>A period's fixed schedule: the instants every phase check is computed from.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.PeriodSchedule")]
public sealed record PeriodSchedule(
    [property: Id(0)] string PeriodId,
    [property: Id(1)] DateTimeOffset OpensAt,
    [property: Id(2)] DateTimeOffset ClosesAt,
    [property: Id(3)] DateTimeOffset EndorsementDeadline,
    [property: Id(4)] int Quota,
    [property: Id(5)] CalendarDuration ApplicationWindow,
    [property: Id(6)] CalendarDuration EndorsementWindow)
{
    /// <summary>The phase at <paramref name="now"/> by the schedule alone (a reminder may be late; this is exact).</summary>
    public PeriodPhase PhaseAt(DateTimeOffset now, bool closed = false) =>
        closed ? PeriodPhase.Closed
        : now < OpensAt ? PeriodPhase.Scheduled
        : now < ClosesAt ? PeriodPhase.Open
        : now < EndorsementDeadline ? PeriodPhase.Endorsement
        : PeriodPhase.Review;
}

/// <summary>How many of the period's applications are in each status (drafts are not counted).</summary>
[GenerateSerializer, Immutable, Alias("gnlc.PeriodCounts")]
public sealed record PeriodCounts(
    [property: Id(0)] int Submitted,
    [property: Id(1)] int Endorsed,
    [property: Id(2)] int Forwarded,
    [property: Id(3)] int Admitted,
    [property: Id(4)] int Declined,
    [property: Id(5)] int NotEndorsed)
{
    public static PeriodCounts Empty { get; } = new(0, 0, 0, 0, 0, 0);
}

[GenerateSerializer, Immutable, Alias("gnlc.PeriodView")]
public sealed record PeriodView(
    [property: Id(0)] string Id,
    [property: Id(1)] PeriodSchedule Schedule,
    [property: Id(2)] PeriodPhase Phase,
    [property: Id(3)] PeriodCounts Counts,
    [property: Id(4)] DateTimeOffset? ClosedAt,
    [property: Id(5)] long Version);
