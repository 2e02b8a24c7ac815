using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gnlc.LoadGen.Measurement;
using Gnlc.LoadGen.Target;

namespace Gnlc.LoadGen.Workloads;

/// <summary>
/// The event feed (API.md "Event feed"): N subscribers on <c>GET /api/v1/events</c>, each its own HTTP connection.
/// Delivery latency runs from the moment the write's response arrived (the acknowledged write) to the moment a
/// subscriber parsed the event; idle mode holds many subscribers and reads the server's RSS.
/// </summary>
internal sealed class EventFeed(SystemOptions options, GnlcApi api, string mode)
{
    private const string Route = "GET /api/v1/events";
    private const int ConnectParallelism = 64;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Writes at a fixed rate (open loop, each write a new city) while every subscriber reads the feed.</summary>
    public async Task<WorkloadResult> DeliveryLatencyAsync(string name, Func<CancellationToken, Task<string?>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var http = SubscriberClient();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var subscribers = Enumerable.Range(0, options.FeedSubscribers).Select(_ => new Subscriber(recordIds: true)).ToArray();
        var (connected, running) = await ConnectAllAsync(http, subscribers, stop.Token);
        try
        {
            if (connected < subscribers.Length)
            {
                return Failed(name, subscribers, connected);
            }

            // Let the subscriptions settle before the first write.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var acknowledged = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            var writeErrors = 0;
            var writes = new List<Task>();
            var total = (int)Math.Round(options.FeedRate * options.FeedDuration.TotalSeconds);
            var interval = 1.0 / options.FeedRate;
            var cpu = CpuUse.Start(options);
            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var queue = SampleThreadPoolQueueAsync(sampling.Token);
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < total; i++)
            {
                var due = start + (long)(i * interval * Stopwatch.Frequency);
                var wait = due - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency), cancellationToken);
                }

                writes.Add(Task.Run(async () =>
                {
                    var id = await write(cancellationToken);
                    if (id is null)
                    {
                        Interlocked.Increment(ref writeErrors);
                    }
                    else
                    {
                        acknowledged[id] = Stopwatch.GetTimestamp();
                    }
                }, cancellationToken));
            }

            await Task.WhenAll(writes);
            var writeSeconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;

            // Drain: wait until every subscriber has every acknowledged event, or 5 s without progress.
            var expected = (long)acknowledged.Count * subscribers.Length;
            var lastCount = -1L;
            var lastProgress = Stopwatch.GetTimestamp();
            while (true)
            {
                var delivered = subscribers.Sum(s => s.Matching(acknowledged));
                if (delivered >= expected || Stopwatch.GetTimestamp() - lastProgress > 5 * Stopwatch.Frequency)
                {
                    break;
                }

                if (delivered != lastCount)
                {
                    lastCount = delivered;
                    lastProgress = Stopwatch.GetTimestamp();
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }

            var cpuNote = cpu.Note();
            await sampling.CancelAsync();
            var maxQueue = await queue;
            await stop.CancelAsync();
            await Task.WhenAll(running);

            var latencies = new List<double>();
            long beforeAck = 0, lastReceipt = start;
            foreach (var subscriber in subscribers)
            {
                foreach (var (id, at) in subscriber.Received)
                {
                    if (id is not null && acknowledged.TryGetValue(id, out var ack))
                    {
                        var ms = LatencySummary.Ms(at - ack);
                        beforeAck += ms < 0 ? 1 : 0;
                        latencies.Add(Math.Max(0, ms));
                        lastReceipt = Math.Max(lastReceipt, at);
                    }
                }
            }

            var summary = LatencySummary.OfMilliseconds([.. latencies]);
            var seconds = (lastReceipt - start) / (double)Stopwatch.Frequency;
            var missing = expected - latencies.Count;
            var notes = string.Create(CultureInfo.InvariantCulture,
                $"{acknowledged.Count} writes at {acknowledged.Count / writeSeconds:0.0}/s, {latencies.Count}/{expected} deliveries");
            if (latencies.Count == 0)
            {
                notes += "; no event for the writes reached any subscriber (are CityRegistered events published on the feed?)";
            }

            if (beforeAck > 0)
            {
                notes += string.Create(CultureInfo.InvariantCulture, $"; {beforeAck} arrived before the write's response (counted as 0 ms)");
            }

            if (writeErrors > 0)
            {
                notes += string.Create(CultureInfo.InvariantCulture, $"; {writeErrors} writes failed");
            }

            notes += string.Create(CultureInfo.InvariantCulture, $"; {cpuNote}; load generator thread-pool queue max {maxQueue}");

            return new WorkloadResult
            {
                Mode = mode,
                Workload = name,
                Concurrency = subscribers.Length,
                Ops = latencies.Count,
                Errors = missing + writeErrors,
                Seconds = seconds,
                Throughput = seconds > 0 ? latencies.Count / seconds : 0,
                P50Ms = summary.P50Ms,
                P99Ms = summary.P99Ms,
                MaxMs = summary.MaxMs,
                Notes = notes,
                Figures =
                {
                    [FigureNames.Subscribers] = subscribers.Length,
                    [FigureNames.EventsPerSecond] = acknowledged.Count / writeSeconds,
                    [FigureNames.DeliveriesPerSecond] = seconds > 0 ? latencies.Count / seconds : 0,
                    [FigureNames.Expected] = expected,
                    [FigureNames.Delivered] = latencies.Count,
                },
            };
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running);
        }
    }

    /// <summary>
    /// Opens the idle subscribers in steps of 1,000, reading the server's RSS after each step; holds them while
    /// sampling RSS (bounded memory: it must not grow while nothing happens); then closes them.
    /// </summary>
    public async Task<WorkloadResult> IdleAsync(string name, CancellationToken cancellationToken)
    {
        using var http = SubscriberClient();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var total = options.IdleSubscribers;
        var subscribers = Enumerable.Range(0, total).Select(_ => new Subscriber(recordIds: false)).ToArray();
        var rss0 = ProcessMemory.RssBytes(options.ServerPid);
        var steps = new List<string>();
        var running = new List<Task>();
        var connected = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            for (var from = 0; from < total; from += 1000)
            {
                var batch = subscribers.AsMemory(from, Math.Min(1000, total - from)).ToArray();
                var (n, tasks) = await ConnectAllAsync(http, batch, stop.Token);
                connected += n;
                running.AddRange(tasks);
                steps.Add(string.Create(CultureInfo.InvariantCulture, $"{connected}: {Mb(ProcessMemory.RssBytes(options.ServerPid))}"));
                if (n < batch.Length)
                {
                    break;
                }
            }

            var openSeconds = clock.Elapsed.TotalSeconds;
            var rssFull = ProcessMemory.RssBytes(options.ServerPid);
            long rssMax = rssFull ?? 0;
            var hold = Stopwatch.StartNew();
            while (hold.Elapsed < options.IdleHold)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                rssMax = Math.Max(rssMax, ProcessMemory.RssBytes(options.ServerPid) ?? 0);
            }

            var rssEnd = ProcessMemory.RssBytes(options.ServerPid);
            var dropped = subscribers.Count(s => s.ConnectTicks > 0 && s.Ended);
            await stop.CancelAsync();
            await Task.WhenAll(running);
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var rssClosed = ProcessMemory.RssBytes(options.ServerPid);

            var per1000 = rss0 is { } a && rssFull is { } b && connected > 0 ? ProcessMemory.Mb(b - a) / (connected / 1000.0) : double.NaN;
            var growth = rssFull is { } f && f > 0 ? (rssMax - f) * 100.0 / f : double.NaN;
            var connect = LatencySummary.Of([.. subscribers.Where(s => s.ConnectTicks > 0).Select(s => s.ConnectTicks)]);
            var notes = string.Create(CultureInfo.InvariantCulture,
                $"server RSS MB at 0: {Mb(rss0)}, by subscribers {string.Join(", ", steps)}; {per1000:0.0} MB per 1,000; during {options.IdleHold.TotalSeconds:0} s hold max {Mb(rssMax)} (+{growth:0.0}%), end {Mb(rssEnd)}; after close {Mb(rssClosed)}; {dropped} dropped during hold");
            if (connected < total)
            {
                notes = string.Create(CultureInfo.InvariantCulture, $"only {connected}/{total} connected ({FirstError(subscribers)}); ") + notes;
            }

            return new WorkloadResult
            {
                Mode = mode,
                Workload = name,
                Concurrency = total,
                Ops = connected,
                Errors = total - connected + dropped,
                Seconds = openSeconds,
                Throughput = connected / openSeconds,
                P50Ms = connect.P50Ms,
                P99Ms = connect.P99Ms,
                MaxMs = connect.MaxMs,
                Notes = notes,
                Figures =
                {
                    [FigureNames.Subscribers] = total,
                    [FigureNames.Connected] = connected - dropped,
                    [FigureNames.RssPer1000Mb] = per1000,
                    [FigureNames.HoldGrowthPercent] = growth,
                    [FigureNames.ServerRssMb] = rssFull is { } full ? ProcessMemory.Mb(full) : double.NaN,
                },
            };
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running);
        }
    }

    /// <summary>
    /// The load generator's own thread-pool backlog while the feed runs (largest of samples every 50 ms): a long
    /// queue means receipts are timestamped late because the client, not the server, is short of CPU.
    /// </summary>
    private static async Task<long> SampleThreadPoolQueueAsync(CancellationToken cancellationToken)
    {
        long max = 0;
        try
        {
            while (true)
            {
                max = Math.Max(max, ThreadPool.PendingWorkItemCount);
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return max;
        }
    }

    private HttpClient SubscriberClient()
    {
        // One connection per subscriber; no overall timeout (a stream lasts the whole run).
        var client = GnlcApi.CreateClient(api.BaseAddress, int.MaxValue, Timeout.InfiniteTimeSpan);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return client;
    }

    /// <summary>Starts every subscriber (at most <see cref="ConnectParallelism"/> connecting at once) and waits for their response headers.</summary>
    private static async Task<(int Connected, List<Task> Running)> ConnectAllAsync(HttpClient http, Subscriber[] subscribers, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(ConnectParallelism);
        var running = new List<Task>(subscribers.Length);
        var connects = new List<Task<bool>>(subscribers.Length);
        foreach (var subscriber in subscribers)
        {
            await gate.WaitAsync(cancellationToken);
            var connected = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            running.Add(Task.Run(() => subscriber.RunAsync(http, connected, cancellationToken), CancellationToken.None));
            connects.Add(connected.Task.ContinueWith(t =>
            {
                gate.Release();
                return t.Result;
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
        }

        var results = await Task.WhenAll(connects);
        var unmapped = subscribers.FirstOrDefault(s => s.Error is RouteUnavailableException);
        if (unmapped is not null)
        {
            throw new RouteUnavailableException(Route);
        }

        return (results.Count(ok => ok), running);
    }

    private WorkloadResult Failed(string name, Subscriber[] subscribers, int connected) => new()
    {
        Mode = mode,
        Workload = name,
        Concurrency = subscribers.Length,
        Skipped = string.Create(CultureInfo.InvariantCulture, $"only {connected}/{subscribers.Length} subscribers connected: {FirstError(subscribers)}"),
    };

    private static string FirstError(Subscriber[] subscribers) =>
        subscribers.Select(s => s.Error).FirstOrDefault(e => e is not null) is { } e ? e.GetType().Name + ": " + e.Message : "no error recorded";

    private static string Mb(long? bytes) => bytes is { } b ? ProcessMemory.Mb(b).ToString("0", CultureInfo.InvariantCulture) : "?";

    /// <summary>CPU seconds of the server, the grain process (if separate) and this load generator over a span.</summary>
    private sealed class CpuUse
    {
        private readonly SystemOptions _options;
        private readonly long _start = Stopwatch.GetTimestamp();
        private readonly double? _server;
        private readonly double? _grains;
        private readonly double _self;

        private CpuUse(SystemOptions options)
        {
            _options = options;
            _server = ProcessCpu.Seconds(options.ServerPid);
            _grains = options.GrainPid != options.ServerPid ? ProcessCpu.Seconds(options.GrainPid) : null;
            _self = ProcessCpu.Self();
        }

        public static CpuUse Start(SystemOptions options) => new(options);

        /// <summary>Each process's CPU as a share of one core over the span, e.g. "server CPU 120% of a core".</summary>
        public string Note()
        {
            var seconds = (Stopwatch.GetTimestamp() - _start) / (double)Stopwatch.Frequency;
            string Share(double? before, double? after) =>
                before is { } b && after is { } a && seconds > 0 ? string.Create(CultureInfo.InvariantCulture, $"{(a - b) * 100 / seconds:0}%") : "?";

            var note = $"CPU over {seconds.ToString("0.0", CultureInfo.InvariantCulture)} s, in % of one core: server {Share(_server, ProcessCpu.Seconds(_options.ServerPid))}";
            if (_grains is not null)
            {
                note += $", silo {Share(_grains, ProcessCpu.Seconds(_options.GrainPid))}";
            }

            return note + $", load generator {Share(_self, ProcessCpu.Self())}; machine load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}";
        }
    }

    /// <summary>One SSE connection: records when each event arrived and, in latency mode, which entity it is about.</summary>
    private sealed class Subscriber(bool recordIds)
    {
        private static ReadOnlySpan<byte> EntityIdProperty => "\"entityId\":\""u8;

        private static ReadOnlySpan<byte> IdField => "id: "u8;

        private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

        public List<(string? Id, long At)> Received { get; } = [];

        public long ConnectTicks { get; private set; }

        public Exception? Error { get; private set; }

        public bool Ended { get; private set; }

        private int _matchedCursor;
        private long _matched;

        /// <summary>How many received events are acknowledged writes (incremental; called from the drain loop only).</summary>
        public long Matching(ConcurrentDictionary<string, long> acknowledged)
        {
            lock (Received)
            {
                for (; _matchedCursor < Received.Count; _matchedCursor++)
                {
                    if (Received[_matchedCursor].Id is { } id && acknowledged.ContainsKey(id))
                    {
                        _matched++;
                    }
                }
            }

            return _matched;
        }

        public async Task RunAsync(HttpClient http, TaskCompletionSource<bool> connected, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connect.CancelAfter(ConnectTimeout);
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token);
                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
                {
                    throw new RouteUnavailableException(Route);
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"{Route} answered {(int)response.StatusCode}");
                }

                ConnectTicks = Stopwatch.GetTimestamp() - started;
                connected.TrySetResult(true);
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                await ReadEventsAsync(stream, cancellationToken);

                Ended = !cancellationToken.IsCancellationRequested;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The run is over.
            }
            catch (Exception error) when (error is HttpRequestException or IOException or OperationCanceledException or RouteUnavailableException)
            {
                Error = error;
                Ended = true;
            }
            finally
            {
                connected.TrySetResult(false);
            }
        }

        /// <summary>
        /// Splits the stream into SSE events at their blank line and records each event (not comments or retry
        /// hints) with the time its bytes were read. The server writes one <c>data</c> line per event and only
        /// <c>\n</c> line ends (API.md), so a byte scan suffices; it costs the client far less CPU per event than
        /// a general parser, which matters with 1,000 readers on the server's 2 cores.
        /// </summary>
        private async Task ReadEventsAsync(Stream stream, CancellationToken cancellationToken)
        {
            var buffer = new byte[16 * 1024];
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    return;
                }

                // Everything in one read arrived together: one timestamp for all of it.
                var at = Stopwatch.GetTimestamp();
                var scanFrom = Math.Max(0, filled - 1);
                filled += read;
                var consumed = 0;
                while (true)
                {
                    var end = buffer.AsSpan(scanFrom, filled - scanFrom).IndexOf(EventEnd);
                    if (end < 0)
                    {
                        break;
                    }

                    end += scanFrom;
                    Record(buffer.AsSpan(consumed, end - consumed), at);
                    consumed = end + EventEnd.Length;
                    scanFrom = consumed;
                }

                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }
            }
        }

        private void Record(ReadOnlySpan<byte> block, long at)
        {
            // An event has an id line; comments (": ...") and retry hints do not.
            if (!block.StartsWith(IdField))
            {
                return;
            }

            var id = recordIds ? EntityId(block) : null;
            lock (Received)
            {
                Received.Add((id, at));
            }
        }

        private static string? EntityId(ReadOnlySpan<byte> block)
        {
            var at = block.IndexOf(EntityIdProperty);
            if (at < 0)
            {
                return null;
            }

            var value = block[(at + EntityIdProperty.Length)..];
            var end = value.IndexOf((byte)'"');
            return end < 0 ? null : Encoding.UTF8.GetString(value[..end]);
        }
    }
}
