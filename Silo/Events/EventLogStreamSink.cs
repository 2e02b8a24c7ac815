using Gnlc.Events;
using Gnlc.Infrastructure;
using Orleans.Streams;

namespace Gnlc.Silo.Events;

/// <summary>
/// Where the domain grains' outboxes deliver: each event is first appended to the durable event log (which gives it
/// its position), and only then published on its Orleans feed stream (<see cref="FeedStreams"/>) for the HTTP front
/// ends. Nothing is published that the log does not hold, so the feed never announces an uncommitted change.
/// </summary>
/// <remarks>
/// Idempotent, as the outbox needs: if anything throws (the append, or a publication after it), the grain keeps its
/// outbox and delivers it again later; the log then returns the positions it gave the first time, and the front ends
/// drop positions they have already passed. A publication that is lost without an error is caught by the front
/// ends' periodic read of the log.
/// </remarks>
public sealed class EventLogStreamSink(IEventLogStore log, IClusterClient client) : IDomainEventSink
{
    private IStreamProvider? _provider;

    public async Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        var normalized = events.Select(EventLogRows.Normalize).ToArray();
        var positions = await log.AppendAsync(normalized, cancellationToken);
        _provider ??= client.GetStreamProvider(ProviderNames.Events);
        for (var i = 0; i < normalized.Length; i++)
        {
            var evt = normalized[i];
            // In order, one at a time: a stream keeps the order in which one producer's items were enqueued.
            await _provider.GetStream<FeedEvent>(FeedStreams.For(evt.Entity)).OnNextAsync(new FeedEvent(positions[i], evt));
        }
    }
}
