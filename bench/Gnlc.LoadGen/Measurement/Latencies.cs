using System.Diagnostics;

namespace Gnlc.LoadGen.Measurement;

/// <summary>
/// Every latency of one worker, in <see cref="Stopwatch"/> ticks. Exact percentiles come from sorting the
/// merged samples: runs are bounded in time, so the samples fit in memory (8 bytes each).
/// </summary>
internal sealed class Latencies
{
    private readonly List<long> _ticks = new(capacity: 4096);

    public int Count => _ticks.Count;

    public void Add(long ticks) => _ticks.Add(ticks);

    public static LatencySummary Summarize(IEnumerable<Latencies> parts)
    {
        var all = parts.SelectMany(p => p._ticks).ToArray();
        return LatencySummary.Of(all);
    }
}

/// <summary>p50, p99 and max of a set of latencies, in milliseconds.</summary>
internal sealed record LatencySummary(long Count, double P50Ms, double P99Ms, double MaxMs)
{
    public static LatencySummary Empty { get; } = new(0, double.NaN, double.NaN, double.NaN);

    /// <summary>Summarizes Stopwatch ticks (sorted in place).</summary>
    public static LatencySummary Of(long[] ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        if (ticks.Length == 0)
        {
            return Empty;
        }

        Array.Sort(ticks);
        return new LatencySummary(ticks.Length, Ms(Percentile(ticks, 0.50)), Ms(Percentile(ticks, 0.99)), Ms(ticks[^1]));
    }

    /// <summary>Summarizes milliseconds (sorted in place).</summary>
    public static LatencySummary OfMilliseconds(double[] ms)
    {
        ArgumentNullException.ThrowIfNull(ms);
        if (ms.Length == 0)
        {
            return Empty;
        }

        Array.Sort(ms);
        return new LatencySummary(ms.Length, Percentile(ms, 0.50), Percentile(ms, 0.99), ms[^1]);
    }

    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    // Nearest-rank percentile: the smallest sample with at least p of the samples at or below it.
    private static T Percentile<T>(T[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
