using System.Threading.Channels;

namespace Gnlc.Api.Events;

/// <summary>
/// One feed client's place at the hub: the events after <see cref="StartsAfter"/> that match its filter, in position
/// order, in a bounded buffer. When the buffer is full the client is evicted (<see cref="Evicted"/>) instead of
/// slowing the hub; what it missed it reads back from the log when it reconnects with <c>Last-Event-ID</c>.
/// </summary>
public sealed class FeedSubscription : IDisposable
{
    private readonly Channel<FeedFrame> _buffer;
    private readonly CancellationTokenSource _evicted = new();
    private readonly Action<FeedSubscription> _unsubscribe;
    private volatile bool _overflowed;
    private int _disposed;

    internal FeedSubscription(EventFilter filter, int capacity, Action<FeedSubscription> unsubscribe)
    {
        Filter = filter;
        _unsubscribe = unsubscribe;
        Evicted = _evicted.Token;
        // Wait mode makes TryWrite fail on a full buffer (instead of dropping an event silently).
        _buffer = Channel.CreateBounded<FeedFrame>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public EventFilter Filter { get; }

    /// <summary>The hub's position when this subscription started: every later matching event is buffered.</summary>
    public long StartsAfter { get; internal set; }

    /// <summary>Cancelled when this client fell too far behind and must reconnect.</summary>
    public CancellationToken Evicted { get; }

    public ChannelReader<FeedFrame> Events => _buffer.Reader;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _unsubscribe(this);
            _buffer.Writer.TryComplete();
            _evicted.Dispose();
        }
    }

    /// <summary>Buffers <paramref name="frame"/>; false once the buffer was ever full (nothing is written after a miss).</summary>
    internal bool TryWrite(FeedFrame frame)
    {
        if (_overflowed)
        {
            return false;
        }

        if (_buffer.Writer.TryWrite(frame))
        {
            return true;
        }

        _overflowed = true;
        return false;
    }

    internal void Evict()
    {
        _buffer.Writer.TryComplete();
        if (Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                _evicted.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Disposed meanwhile: the client is gone already.
            }
        }
    }

    /// <summary>The feed ends (the hub stops): the client reads what is buffered, then finds the end.</summary>
    internal void Complete() => _buffer.Writer.TryComplete();
}
