using Gnlc.Events;

namespace Gnlc.Api.Tests.Events;

/// <summary>Events for feed mechanics tests that need many of them fast: given straight to the silo's event sink.</summary>
public static class SyntheticEvents
{
    /// <summary><paramref name="count"/> registrations of distinct made-up Irish cities (each at version 1).</summary>
    public static IReadOnlyList<DomainEvent> Registrations(string prefix, int start, int count) =>
        [.. Enumerable.Range(start, count).Select(i =>
        {
            var id = $"ie-{prefix}-{i}";
            return new DomainEvent(DomainEventType.CityRegistered, EntityKind.City, id, "ie", id, null, "Candidate", DateTimeOffset.UtcNow, 1);
        })];
}
