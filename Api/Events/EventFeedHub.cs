using Gnlc.Events;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Gnlc.Api.Events;

/// <summary>
/// The one subscriber of this Api process to the feed streams. It keeps <see cref="LastPosition"/>, the newest
/// position it has passed on, and passes every event of the log on exactly once, in position order, to the feed
/// clients subscribed to it: an event at the next position is passed on at once; a gap (events of other streams not
/// yet arrived, or a lost notification) is filled by reading the log through <see cref="IEventLogGrain"/>; an event
/// already passed is dropped; and a periodic read of the log catches what a memory stream lost.
/// </summary>
public sealed partial class EventFeedHub(
    IClusterClient client,
    FeedReconnectSignal reconnect,
    IOptions<EventFeedOptions> options,
    ILogger<EventFeedHub> logger) : BackgroundService
{
    private static readonly TimeSpan UnsubscribeTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _sync = new();
    // Serialises the stream callbacks (four streams) and their gap reads; the periodic read runs beside them.
    private readonly SemaphoreSlim _advance = new(1, 1);
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FeedSubscription[] _subscribers = [];
    private List<StreamSubscriptionHandle<FeedEvent>> _handles = [];
    private long _last;
    private bool _stopped;
    private CancellationToken _stoppingToken;

    private EventFeedOptions Options => options.Value;

    private IEventLogGrain Log => client.GetGrain<IEventLogGrain>(IEventLogGrain.Key);

    /// <summary>The newest position passed on to the clients.</summary>
    public long LastPosition
    {
        get
        {
            lock (_sync)
            {
                return _last;
            }
        }
    }

    /// <summary>How many feed clients are subscribed now.</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_sync)
            {
                return _subscribers.Length;
            }
        }
    }

    /// <summary>
    /// Subscribes a feed client: from now on every event after <see cref="FeedSubscription.StartsAfter"/> that
    /// matches <paramref name="filter"/> is buffered for it. Waits until the hub is ready (it knows the log's head and
    /// follows the streams).
    /// </summary>
    public async Task<FeedSubscription> SubscribeAsync(EventFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await _ready.Task.WaitAsync(cancellationToken);
        var subscription = new FeedSubscription(filter, Math.Max(1, Options.ClientBufferSize), Unsubscribe);
        lock (_sync)
        {
            if (_stopped)
            {
                subscription.Complete();
                return subscription;
            }

            subscription.StartsAfter = _last;
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var handle in _handles)
        {
            try
            {
                // Leaves no subscription behind in the pub-sub store for a process that is gone.
                await handle.UnsubscribeAsync().WaitAsync(UnsubscribeTimeout, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogUnsubscribeFailed(logger, exception);
            }
        }

        FeedSubscription[] subscribers;
        lock (_sync)
        {
            _stopped = true;
            subscribers = _subscribers;
            _subscribers = [];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Complete();
        }
    }

    public override void Dispose()
    {
        reconnect.Requested -= OnReconnected;
        _advance.Dispose();
        _subscribing.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stoppingToken = stoppingToken;
        try
        {
            await StartAsyncCore(stoppingToken);
            reconnect.Requested += OnReconnected;
            using var timer = new PeriodicTimer(Options.PollInterval);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (reconnect.TakeRequest())
                {
                    await SubscribeStreamsAsync(stoppingToken);
                }

                await AdvanceAsync(upTo: null, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task StartAsyncCore(CancellationToken stoppingToken)
    {
        // New clients start at the head; the log before it is for clients that resume with Last-Event-ID.
        while (true)
        {
            try
            {
                var head = await Log.GetHeadAsync().WaitAsync(stoppingToken);
                lock (_sync)
                {
                    _last = head;
                }

                break;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogHeadFailed(logger, exception);
                await Task.Delay(Options.PollInterval, stoppingToken);
            }
        }

        // Ready once subscribed to the streams and caught up with what was committed since the head was read: a
        // client subscribed from then on is sent every later event by the streams, not at the next poll.
        await SubscribeStreamsAsync(stoppingToken);
        await AdvanceAsync(upTo: null, stoppingToken);
        _ready.TrySetResult();
    }

    private void OnReconnected() => _ = Task.Run(async () =>
    {
        try
        {
            if (reconnect.TakeRequest())
            {
                await SubscribeStreamsAsync(_stoppingToken);
                // What was published while the connection was down reached no subscriber: read it from the log now.
                await AdvanceAsync(upTo: null, _stoppingToken);
            }
        }
        catch (OperationCanceledException) when (_stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    });

    /// <summary>Subscribes once to every feed stream, or takes over the subscriptions this client already has.</summary>
    private async Task SubscribeStreamsAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _subscribing.WaitAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        try
        {
            var provider = client.GetStreamProvider(ProviderNames.Events);
            var handles = new List<StreamSubscriptionHandle<FeedEvent>>();
            foreach (var id in FeedStreams.All)
            {
                var stream = provider.GetStream<FeedEvent>(id);
                var existing = await stream.GetAllSubscriptionHandles();
                if (existing.Count == 0)
                {
                    handles.Add(await stream.SubscribeAsync(OnNextAsync, OnErrorAsync));
                    continue;
                }

                // After a reconnect the pub-sub may still hold this client's subscription: attach to it again, and
                // drop any extra one so that each event arrives once per stream.
                handles.Add(await existing[0].ResumeAsync(OnNextAsync, OnErrorAsync));
                foreach (var extra in existing.Skip(1))
                {
                    await extra.UnsubscribeAsync();
                }
            }

            _handles = handles;
            LogSubscribed(logger, handles.Count);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The periodic read of the log keeps the feed complete meanwhile; try again at the next tick.
            LogSubscribeFailed(logger, exception);
            reconnect.RetryLater();
        }
        finally
        {
            _subscribing.Release();
        }
    }

    private async Task OnNextAsync(FeedEvent item, StreamSequenceToken? token)
    {
        if (!FeedEventGuard.IsValid(item))
        {
            // Malformed or oversize: skipped, so it neither reaches a client nor claims a position; the stream goes on.
            LogMalformedSkipped(logger, item?.Position ?? 0);
            return;
        }

        try
        {
            await _advance.WaitAsync();
            try
            {
                var last = LastPosition;
                if (item.Position <= last)
                {
                    return; // Passed on already (a re-delivery, or read from the log first).
                }

                if (item.Position == last + 1)
                {
                    Deliver([item]);
                    return;
                }

                // A gap: the events before this one are committed (the log makes positions visible in order), so
                // read them, and this one, from the log.
                await AdvanceCoreAsync(item.Position, CancellationToken.None);
            }
            finally
            {
                _advance.Release();
            }
        }
        catch (Exception exception) when (exception is not ObjectDisposedException)
        {
            // Never fail the stream delivery: the periodic read of the log fills the gap.
            LogCatchUpFailed(logger, exception);
        }
    }

    private Task OnErrorAsync(Exception exception)
    {
        LogStreamError(logger, exception);
        reconnect.RetryLater();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The periodic (and after-reconnect) read of the log. It does not hold <see cref="_advance"/>: a log read can take
    /// long under load, and stream events must not queue behind it. <see cref="Deliver"/> drops what the stream
    /// passed on meanwhile, and a page read after a position is contiguous from it, so order and exactly-once hold.
    /// </summary>
    private async Task AdvanceAsync(long? upTo, CancellationToken cancellationToken)
    {
        try
        {
            await AdvanceCoreAsync(upTo, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCatchUpFailed(logger, exception);
        }
    }

    /// <summary>Reads the log after the last position, up to <paramref name="upTo"/> or its end, and passes it on.</summary>
    private async Task AdvanceCoreAsync(long? upTo, CancellationToken cancellationToken)
    {
        // At most half a client's buffer at once, so a client that keeps up is never evicted by one page.
        var pageSize = Math.Clamp(Math.Min(Options.CatchUpPageSize, Options.ClientBufferSize / 2), 1, IEventLogGrain.MaxPage);
        while (true)
        {
            var last = LastPosition;
            if (upTo is { } target && last >= target)
            {
                return;
            }

            var max = upTo is { } end ? (int)Math.Min(pageSize, end - last) : pageSize;
            var page = await Log.ReadAfterAsync(last, max).WaitAsync(cancellationToken);
            if (page.IsEmpty)
            {
                return;
            }

            Deliver(page);
        }
    }

    /// <summary>Passes events on, in position order, to every matching client; evicts the clients whose buffer is full.</summary>
    private void Deliver(IReadOnlyList<FeedEvent> events)
    {
        List<FeedSubscription>? evicted = null;
        lock (_sync)
        {
            foreach (var item in events)
            {
                if (item.Position <= _last)
                {
                    continue;
                }

                _last = item.Position;
                if (!FeedEventGuard.IsValid(item))
                {
                    // A malformed entry of the log: its position is passed, its content never reaches a client.
                    LogMalformedSkipped(logger, item.Position);
                    continue;
                }

                // Encoded once, on the first client it matches, and shared by all of them.
                FeedFrame? frame = null;
                foreach (var subscriber in _subscribers)
                {
                    if (subscriber.Filter.Matches(item.Event) && !subscriber.TryWrite(frame ??= FeedFrame.Of(item)))
                    {
                        (evicted ??= []).Add(subscriber);
                    }
                }
            }

            if (evicted is not null)
            {
                _subscribers = [.. _subscribers.Except(evicted)];
            }
        }

        foreach (var subscriber in evicted ?? [])
        {
            LogEvicted(logger, Options.ClientBufferSize);
            subscriber.Evict();
        }
    }

    private void Unsubscribe(FeedSubscription subscription)
    {
        lock (_sync)
        {
            _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscription))];
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event feed subscribed to {Count} streams.")]
    private static partial void LogSubscribed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event feed could not subscribe to its streams; the log is polled meanwhile, and it retries.")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event feed could not unsubscribe from a stream.")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event feed could not read the head of the event log; retrying.")]
    private static partial void LogHeadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event feed could not read the event log; the next poll retries.")]
    private static partial void LogCatchUpFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event feed stream reported an error; resubscribing.")]
    private static partial void LogStreamError(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event feed skipped a malformed or oversize event (position {Position}).")]
    private static partial void LogMalformedSkipped(ILogger logger, long position);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event feed client fell {Capacity} events behind and was disconnected; it can resume with Last-Event-ID.")]
    private static partial void LogEvicted(ILogger logger, int capacity);
}
