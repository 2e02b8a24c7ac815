using System.Diagnostics;
using System.Globalization;

namespace Gnlc.LoadGen.Measurement;

/// <summary>What one run measured.</summary>
internal sealed record RunOutcome(LatencySummary Latency, long Errors, TimeSpan Elapsed, string? ErrorSummary);

/// <summary>How long a closed-loop run goes: a warm-up then a fixed duration, or a fixed number of operations.</summary>
internal sealed record RunLength(TimeSpan Warmup, TimeSpan? Duration, long? Count)
{
    public static RunLength Timed(TimeSpan warmup, TimeSpan duration) => new(warmup, duration, null);

    /// <summary>Exactly <paramref name="count"/> operations (each a different item, so no warm-up can be spent on them).</summary>
    public static RunLength Counted(long count) => new(TimeSpan.Zero, null, count);
}

/// <summary>A workload's operation: its sequence number in, <c>null</c> for success or a short error key out.</summary>
internal delegate ValueTask<string?> Operation(long sequence, CancellationToken cancellationToken);

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each run one operation at a time, back to back. Operations
/// started during the warm-up are not recorded; the measurement counts operations that started in the window.
/// </summary>
internal static class LoadRunner
{
    /// <param name="onMeasureStart">Called once when the measured window opens (after the warm-up): e.g. a CPU probe's start.</param>
    public static async Task<RunOutcome> RunAsync(int concurrency, RunLength length, Operation operation, CancellationToken cancellationToken, Action? onMeasureStart = null)
    {
        ArgumentNullException.ThrowIfNull(length);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var state = new RunState(length);
        var workers = Enumerable.Range(0, concurrency).Select(_ => new Worker()).ToArray();
        state.MeasureFrom = length.Warmup > TimeSpan.Zero ? Stopwatch.GetTimestamp() + Ticks(length.Warmup) : Stopwatch.GetTimestamp();
        state.StopAt = length.Duration is { } d ? state.MeasureFrom + Ticks(d) : long.MaxValue;

        var tasks = workers.Select(w => Task.Run(() => WorkAsync(w, state, operation, abort), CancellationToken.None)).ToArray();
        if (onMeasureStart is not null)
        {
            await Task.Delay(length.Warmup, cancellationToken);
            onMeasureStart();
        }

        try
        {
            await Task.WhenAll(tasks);
        }
        catch
        {
            await abort.CancelAsync();
            throw;
        }

        var end = workers.Select(w => w.LastCompletion).DefaultIfEmpty(Stopwatch.GetTimestamp()).Max();
        var elapsed = TimeSpan.FromSeconds(Math.Max(0, end - state.MeasureFrom) / (double)Stopwatch.Frequency);
        var errors = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, n) in workers.SelectMany(w => w.Errors))
        {
            errors[key] = errors.GetValueOrDefault(key) + n;
        }

        var summary = errors.Count == 0
            ? null
            : "errors: " + string.Join(", ", errors.OrderByDescending(e => e.Value).Take(4)
                .Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} ×{e.Value}")));
        return new RunOutcome(Latencies.Summarize(workers.Select(w => w.Latencies)), errors.Values.Sum(), elapsed, summary);
    }

    private static async Task WorkAsync(Worker worker, RunState state, Operation operation, CancellationTokenSource abort)
    {
        var token = abort.Token;
        while (!token.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= state.StopAt)
            {
                return;
            }

            var sequence = Interlocked.Increment(ref state.Next) - 1;
            if (state.Length.Count is { } count && sequence >= count)
            {
                return;
            }

            string? error;
            try
            {
                error = await operation(sequence, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or IOException)
            {
                error = failure.GetType().Name;
            }

            var finished = Stopwatch.GetTimestamp();
            if (started < state.MeasureFrom)
            {
                continue;
            }

            worker.LastCompletion = finished;
            if (error is null)
            {
                worker.Latencies.Add(finished - started);
            }
            else
            {
                worker.Errors[error] = worker.Errors.GetValueOrDefault(error) + 1;
            }
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed class RunState(RunLength length)
    {
        public RunLength Length { get; } = length;

        public long MeasureFrom { get; set; }

        public long StopAt { get; set; }

        // A field, so that Interlocked can increment it.
        public long Next;
    }

    private sealed class Worker
    {
        public Latencies Latencies { get; } = new();

        public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

        public long LastCompletion { get; set; }
    }
}
