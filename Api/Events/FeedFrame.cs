using Gnlc.Events;

namespace Gnlc.Api.Events;

/// <summary>
/// An event as the hub hands it to its clients: the log position and the whole SSE event (<c>id</c>, <c>event</c>,
/// <c>data</c>), encoded to UTF-8 once and shared by every client it matches, instead of serialized per client.
/// </summary>
public sealed class FeedFrame
{
    private FeedFrame(long position, byte[] bytes)
    {
        Position = position;
        Bytes = bytes;
    }

    public long Position { get; }

    /// <summary>The encoded event; shared, never written to.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public static FeedFrame Of(FeedEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        return new(evt.Position, SseWriter.Encode(evt));
    }
}
