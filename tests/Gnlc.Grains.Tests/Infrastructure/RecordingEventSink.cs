using System.Collections.Concurrent;
using Gnlc.Events;
using Gnlc.Infrastructure;

namespace Gnlc.Grains.Tests.Infrastructure;

/// <summary>
/// Collects every delivered event (at least once) for assertions; de-duplicates by entity and version. A test can make
/// deliveries fail (<see cref="FailDeliveries"/>), as a store or stream outage would.
/// </summary>
public sealed class RecordingEventSink : IDomainEventSink
{
    private readonly ConcurrentQueue<DomainEvent> _delivered = new();
    private readonly ConcurrentDictionary<Failure, int> _failures = new();

    public IReadOnlyList<DomainEvent> Delivered => [.. _delivered];

    /// <summary>Failed deliveries so far (all injected failures).</summary>
    public int FailedDeliveries => _failedDeliveries;

    private int _failedDeliveries;

    /// <summary>
    /// The next <paramref name="times"/> deliveries that hold an event matching <paramref name="matches"/> throw and
    /// record nothing (dispose the result to stop earlier).
    /// </summary>
    public IDisposable FailDeliveries(Func<DomainEvent, bool> matches, int times)
    {
        var failure = new Failure(matches, this);
        _failures[failure] = times;
        return failure;
    }

    public Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var failure in _failures.Keys)
        {
            if (events.Any(failure.Matches) && _failures.TryGetValue(failure, out var left) && left > 0 && _failures.TryUpdate(failure, left - 1, left))
            {
                Interlocked.Increment(ref _failedDeliveries);
                throw new InvalidOperationException("Injected delivery failure.");
            }
        }

        foreach (var evt in events)
        {
            _delivered.Enqueue(evt);
        }

        return Task.CompletedTask;
    }

    /// <summary>The distinct events of one entity, in version order.</summary>
    public IReadOnlyList<DomainEvent> Of(EntityKind entity, string entityId) =>
        [.. _delivered.Where(e => e.Entity == entity && e.EntityId == entityId).DistinctBy(e => e.Version).OrderBy(e => e.Version)];

    /// <summary>Every delivery of one entity's events, duplicates included, in delivery order.</summary>
    public IReadOnlyList<DomainEvent> AllOf(EntityKind entity, string entityId) =>
        [.. _delivered.Where(e => e.Entity == entity && e.EntityId == entityId)];

    private sealed class Failure(Func<DomainEvent, bool> matches, RecordingEventSink sink) : IDisposable
    {
        public bool Matches(DomainEvent evt) => matches(evt);

        public void Dispose() => sink._failures.TryRemove(this, out _);
    }
}
