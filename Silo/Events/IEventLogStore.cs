using Gnlc.Events;

namespace Gnlc.Silo.Events;

/// <summary>
/// The durable event log, source of truth of the event feed: every committed domain event once, at a global,
/// strictly increasing position. Positions become visible in position order: a reader that has seen position N
/// never later finds a newly committed event below N, so "everything after my last position" is a complete answer.
/// </summary>
public interface IEventLogStore
{
    /// <summary>
    /// Records <paramref name="events"/> (in this order) and returns their positions, in the same order. Idempotent on
    /// (entity kind, entity id, version): an event recorded before keeps, and returns, the position it got then, so an
    /// outbox that delivers again changes nothing. All or nothing: on an exception nothing of this call is recorded.
    /// </summary>
    Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default);

    /// <summary>At most <paramref name="max"/> events after <paramref name="position"/>, in position order.</summary>
    Task<IReadOnlyList<FeedEvent>> ReadAfterAsync(long position, int max, CancellationToken cancellationToken = default);

    /// <summary>The newest position (0 for a log that never recorded an event). Retention never lowers it.</summary>
    Task<long> GetHeadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes events recorded before <paramref name="cutoff"/>, except the newest event, which keeps the head (and so
    /// the next position) where it is. Returns how many were deleted.
    /// </summary>
    Task<int> DeleteRecordedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
