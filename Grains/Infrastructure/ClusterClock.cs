namespace Gnlc.Infrastructure;

/// <summary>
/// The test clock of one silo: its base clock plus the cluster's durable offset. The offset only moves
/// forward; the clock grain pushes each new offset to every active silo, and a silo that starts loads it.
/// </summary>
public sealed class ClusterClock(TimeProvider baseClock) : TimeProvider
{
    /// <summary>How long a grain activation waits for a starting silo to learn the offset.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Completes once this silo knows the cluster's offset.</summary>
    public Task WhenReady => _ready.Task;

    public override DateTimeOffset GetUtcNow() => baseClock.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => baseClock.LocalTimeZone;

    public override long TimestampFrequency => baseClock.TimestampFrequency;

    public override long GetTimestamp() => baseClock.GetTimestamp();

    /// <summary>Takes a newer offset (an older one, arriving late, is ignored) and marks the clock ready.</summary>
    public void SetOffset(TimeSpan offset)
    {
        var current = Interlocked.Read(ref _offsetTicks);
        while (offset.Ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _offsetTicks, offset.Ticks, current);
            if (seen == current)
            {
                break;
            }

            current = seen;
        }

        _ready.TrySetResult();
    }
}
