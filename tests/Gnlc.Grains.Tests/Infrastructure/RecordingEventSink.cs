using System.Collections.Concurrent;
using Gnlc.Events;
using Gnlc.Infrastructure;

namespace Gnlc.Grains.Tests.Infrastructure;

/// <summary>Collects every delivered event (at least once) for assertions; de-duplicates by entity and version.</summary>
public sealed class RecordingEventSink : IDomainEventSink
{
    private readonly ConcurrentQueue<DomainEvent> _delivered = new();

    public IReadOnlyList<DomainEvent> Delivered => [.. _delivered];

    public Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var evt in events)
        {
            _delivered.Enqueue(evt);
        }

        return Task.CompletedTask;
    }

    /// <summary>The distinct events of one entity, in version order.</summary>
    public IReadOnlyList<DomainEvent> Of(EntityKind entity, string entityId) =>
        [.. _delivered.Where(e => e.Entity == entity && e.EntityId == entityId).DistinctBy(e => e.Version).OrderBy(e => e.Version)];
}
