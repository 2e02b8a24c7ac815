using Gnlc.Events;
using Microsoft.Extensions.Logging;

namespace Gnlc.Infrastructure;

/// <summary>
/// Where the outboxes deliver committed domain events, in commit order per entity, at least once (a
/// consumer de-duplicates by entity and version). Publishing on Orleans streams implements this later.
/// </summary>
public interface IDomainEventSink
{
    Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default);
}

/// <summary>Default sink: logs the events and drops them.</summary>
public sealed partial class LoggingDomainEventSink(ILogger<LoggingDomainEventSink> logger) : IDomainEventSink
{
    public Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var evt in events)
        {
            LogEvent(logger, evt.Type, evt.EntityId, evt.Status, evt.Version);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Domain event {Type} {EntityId} -> {Status} (v{Version})")]
    private static partial void LogEvent(ILogger logger, DomainEventType type, string entityId, string status, long version);
}
