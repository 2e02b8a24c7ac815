using System.Diagnostics;
using System.Reflection;
using Gnlc.Events;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Gnlc.Api.Events;

/// <summary>
/// The answer of <c>GET /api/v1/events</c>: a <c>text/event-stream</c> that first catches a resuming client up from
/// the log, then follows the hub, with no gap and no duplicate at the hand-over; heartbeats while idle; and a
/// <c>retry:</c> hint before it ends at application shutdown.
/// </summary>
public sealed class EventStreamResult(EventFilter filter, long? lastEventId) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string MediaType = "text/event-stream";

    public EventFilter Filter { get; } = filter;

    /// <summary>The position the client has seen (<c>Last-Event-ID</c>), or null to start at the live tail.</summary>
    public long? LastEventId { get; } = lastEventId;

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => MediaType;

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [MediaType]));
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var services = httpContext.RequestServices;
        var hub = services.GetRequiredService<EventFeedHub>();
        var options = services.GetRequiredService<IOptions<EventFeedOptions>>().Value;
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var grains = services.GetRequiredService<IClusterClient>();
        var aborted = httpContext.RequestAborted;

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = MediaType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var sse = new SseWriter(response.BodyWriter);

        using var ending = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping);
        // Subscribed before the catch-up read, so that nothing committed meanwhile falls between the two; and before
        // the headers go out, so that a client that is connected gets every event committed after it connected.
        FeedSubscription subscription;
        try
        {
            subscription = await hub.SubscribeAsync(Filter, ending.Token);
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            await EndAsync(sse, options, stopping, aborted);
            return;
        }

        using var unsubscribe = subscription;
        // A comment first, so the headers go out at once, and the reconnection delay.
        sse.Comment("gnlc event feed");
        sse.Retry(options.RetryHint);
        await sse.FlushAsync(aborted);

        // A client too slow for its buffer is cut off at once: its socket may be full, so nothing more can be written.
        using var eviction = subscription.Evicted.Register(static state => ((HttpContext)state!).Abort(), httpContext);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ending.Token, subscription.Evicted);
        var cancellation = linked.Token;
        try
        {
            var cursor = LastEventId ?? subscription.StartsAfter;
            if (LastEventId is not null)
            {
                cursor = await CatchUpAsync(sse, grains, cursor, options.CatchUpPageSize, cancellation);
            }

            await FollowAsync(sse, subscription, cursor, options.HeartbeatInterval, cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Ended by shutdown, by the client, or by eviction.
        }

        await EndAsync(sse, options, stopping, aborted);
    }

    /// <summary>Writes the log's matching events after <paramref name="cursor"/>; returns the last position read.</summary>
    private async Task<long> CatchUpAsync(SseWriter sse, IClusterClient grains, long cursor, int pageSize, CancellationToken cancellation)
    {
        var log = grains.GetGrain<IEventLogGrain>(IEventLogGrain.Key);
        var size = Math.Clamp(pageSize, 1, IEventLogGrain.MaxPage);
        while (true)
        {
            var page = await log.ReadAfterAsync(cursor, size).WaitAsync(cancellation);
            if (page.IsEmpty)
            {
                return cursor;
            }

            foreach (var evt in page)
            {
                if (Filter.Matches(evt.Event))
                {
                    sse.Event(evt);
                }

                cursor = evt.Position;
            }

            await sse.FlushAsync(cancellation);
        }
    }

    /// <summary>Writes what the hub buffers for this client, skipping what the catch-up already covered.</summary>
    /// <remarks>
    /// A heartbeat goes out when nothing was written for <paramref name="heartbeat"/>. The idle timer is armed once per
    /// interval, not per event: re-arming a timer for every event of every client contended on the runtime's timer
    /// queue lock (profile of the feed workload). When it fires after recent writes, it is armed for the remainder.
    /// </remarks>
    private static async Task FollowAsync(SseWriter sse, FeedSubscription subscription, long cursor, TimeSpan heartbeat, CancellationToken cancellation)
    {
        var reader = subscription.Events;
        var lastActive = Stopwatch.GetTimestamp();
        var idle = IdleTimer(heartbeat, cancellation);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    idle.Dispose();
                    var quiet = Stopwatch.GetElapsedTime(lastActive);
                    if (quiet < heartbeat)
                    {
                        idle = IdleTimer(heartbeat - quiet, cancellation);
                        continue;
                    }

                    idle = IdleTimer(heartbeat, cancellation);
                    lastActive = Stopwatch.GetTimestamp();
                    sse.Heartbeat();
                    await sse.FlushAsync(cancellation);
                    continue;
                }

                if (!more)
                {
                    return; // The hub stopped.
                }

                lastActive = Stopwatch.GetTimestamp();
                while (reader.TryRead(out var frame))
                {
                    if (frame.Position > cursor)
                    {
                        sse.Frame(frame);
                        cursor = frame.Position;
                    }
                }

                await sse.FlushAsync(cancellation);
            }
        }
        finally
        {
            idle.Dispose();
        }
    }

    private static CancellationTokenSource IdleTimer(TimeSpan after, CancellationToken cancellation)
    {
        var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        idle.CancelAfter(after);
        return idle;
    }

    /// <summary>The last comment of a feed that ends because this process stops.</summary>
    public const string ShutdownComment = "server shutting down; reconnect with Last-Event-ID";

    /// <summary>
    /// At shutdown (<see cref="IHostApplicationLifetime.ApplicationStopping"/>), a last <c>retry:</c> hint so clients
    /// come back (to another instance) after a pause, and a final comment; then the response ends cleanly.
    /// </summary>
    private static async Task EndAsync(SseWriter sse, EventFeedOptions options, CancellationToken stopping, CancellationToken aborted)
    {
        if (!stopping.IsCancellationRequested || aborted.IsCancellationRequested)
        {
            return;
        }

        try
        {
            sse.Retry(options.RetryHint);
            sse.Comment(ShutdownComment);
            await sse.FlushAsync(aborted);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client left meanwhile.
        }
    }
}
