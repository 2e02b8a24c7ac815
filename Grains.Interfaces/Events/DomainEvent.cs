namespace Gnlc.Events;

/// <summary>What changed (API.md "Event feed": the SSE <c>event</c> field).</summary>
public enum DomainEventType
{
    CityRegistered,
    MembershipChanged,
    ProgressReportFiled,
    ProgressReportOverdue,
    AwardGranted,
    PeriodScheduled,
    PeriodRescheduled,
    PeriodPhaseChanged,
    ApplicationSubmitted,
    ApplicationEndorsed,
    EndorsementWithdrawn,
    ApplicationForwarded,
    ApplicationsForwarded,
    ApplicationDecided,
    ApplicationNotEndorsed,
}

/// <summary>Which kind of entity an event belongs to; with <see cref="DomainEvent.EntityId"/> it names the version sequence.</summary>
public enum EntityKind
{
    City,
    Application,
    Commission,
    Period,
}

/// <summary>
/// A committed status change. <see cref="Version"/> is the entity's version after the change, so a
/// consumer can order and de-duplicate what an at-least-once outbox delivers.
/// </summary>
[GenerateSerializer, Immutable, Alias("gnlc.DomainEvent")]
public sealed record DomainEvent(
    [property: Id(0)] DomainEventType Type,
    [property: Id(1)] EntityKind Entity,
    [property: Id(2)] string EntityId,
    [property: Id(3)] string? Country,
    [property: Id(4)] string? City,
    [property: Id(5)] string? Period,
    [property: Id(6)] string Status,
    [property: Id(7)] DateTimeOffset OccurredAt,
    [property: Id(8)] long Version,
    [property: Id(9)] string? Reason = null);
