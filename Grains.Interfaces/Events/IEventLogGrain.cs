using System.Collections.Immutable;

namespace Gnlc.Events;

/// <summary>
/// Reads the durable event log for the HTTP front end, which never talks to the database itself: catch-up after a
/// gap on the streams, and resumption after an SSE client's <c>Last-Event-ID</c>. A stateless worker (key
/// <see cref="Key"/>), so reads spread over activations on the silo that receives them.
/// </summary>
[Alias("gnlc.IEventLogGrain")]
public interface IEventLogGrain : IGrainWithIntegerKey
{
    /// <summary>The only key the reader is called with.</summary>
    public const long Key = 0;

    /// <summary>Most events one read returns.</summary>
    public const int MaxPage = 1_000;

    /// <summary>
    /// The events after <paramref name="position"/>, in position order, at most <paramref name="max"/> (capped at
    /// <see cref="MaxPage"/>). An empty result means nothing after <paramref name="position"/> is committed yet.
    /// </summary>
    [Alias("read-after")]
    Task<ImmutableArray<FeedEvent>> ReadAfterAsync(long position, int max);

    /// <summary>The position of the newest committed event (0 when none was ever recorded).</summary>
    [Alias("head")]
    Task<long> GetHeadAsync();
}
