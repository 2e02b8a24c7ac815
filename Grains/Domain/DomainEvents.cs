using Gnlc.Events;

namespace Gnlc.Domain;

/// <summary>Builds the event of a committed change: the entity's new version and status.</summary>
internal static class DomainEvents
{
    public static DomainEvent City(DomainEventType type, string cityId, string country, string status, DateTimeOffset at, long version, string? reason = null) =>
        new(type, EntityKind.City, cityId, country, cityId, null, status, at, version, reason);

    public static DomainEvent Application(DomainEventType type, string periodId, string cityId, string country, string status, DateTimeOffset at, long version, string? reason = null) =>
        new(type, EntityKind.Application, $"{periodId}/{cityId}", country, cityId, periodId, status, at, version, reason);

    public static DomainEvent Commission(DomainEventType type, string country, string periodId, string status, DateTimeOffset at, long version) =>
        new(type, EntityKind.Commission, country, country, null, periodId, status, at, version);

    public static DomainEvent Period(DomainEventType type, string periodId, string status, DateTimeOffset at, long version) =>
        new(type, EntityKind.Period, periodId, null, null, periodId, status, at, version);
}
