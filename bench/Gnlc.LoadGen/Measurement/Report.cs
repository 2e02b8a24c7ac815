using System.Globalization;
using System.Text;

namespace Gnlc.LoadGen.Measurement;

/// <summary>
/// The <c>report</c> command: every result of the run as one table with each workload's ratio to its baseline,
/// then the targets marked met or not met with the figure that decides them. Markdown, printed and
/// optionally written to a file (docs/BENCHMARKS.md takes it from there).
/// </summary>
internal static class Report
{
    private const double ReadEmbeddedTarget = 0.8;
    private const double ReadClusteredTarget = 0.5;
    private const double WriteTarget = 0.5;
    private const double FeedP99TargetMs = 100;
    private const int FeedSubscribersTarget = 1000;
    private const double FeedRateTarget = 20;
    private const int IdleTarget = 10_000;
    private const double IdleGrowthLimitPercent = 10;
    private const double CityGrainBytesTarget = 10 * 1024;

    public static int Print(Cli cli)
    {
        var path = cli.Required("results");
        var markdown = cli.Text("markdown");
        cli.EnsureAllRead();
        var results = ResultStore.Load(path);
        var text = Render(results);
        Console.WriteLine(text);
        if (markdown is not null)
        {
            File.WriteAllText(markdown, text);
        }

        return 0;
    }

    public static string Render(IReadOnlyList<WorkloadResult> results)
    {
        var baselines = new Baselines(results);
        var text = new StringBuilder();
        text.AppendLine("| mode | workload | concurrency | throughput (/s) | p50 (ms) | p99 (ms) | max (ms) | errors | baseline | ratio |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|---:|");
        var notes = new List<string>();
        foreach (var r in results)
        {
            if (r.Skipped is { } reason)
            {
                text.AppendLine(Invariant($"| {r.Mode} | {r.Workload} | | | | | | | | skipped: {reason} |"));
                continue;
            }

            var (baselineName, ratio) = Ratio(r, baselines);
            var mark = "";
            if (r.Notes is { Length: > 0 } note)
            {
                notes.Add(note);
                mark = Invariant($" [{notes.Count}]");
            }

            text.AppendLine(Invariant(
                $"| {r.Mode} | {r.Workload}{mark} | {r.Concurrency} | {r.Throughput:0.0} | {F(r.P50Ms)} | {F(r.P99Ms)} | {F(r.MaxMs)} | {r.Errors} | {baselineName} | {ratio} |"));
        }

        if (notes.Count > 0)
        {
            text.AppendLine();
            for (var i = 0; i < notes.Count; i++)
            {
                text.AppendLine(Invariant($"[{i + 1}] {notes[i]}  "));
            }
        }

        text.AppendLine();
        text.AppendLine("| target | figure | status |");
        text.AppendLine("|---|---|---|");
        foreach (var (target, figure, status) in Targets(results, baselines))
        {
            text.AppendLine($"| {target} | {figure} | {status} |");
        }

        return text.ToString();
    }

    private static (string Name, string Ratio) Ratio(WorkloadResult r, Baselines baselines)
    {
        if (r.BaselineKey is not null)
        {
            return ("(is the baseline)", "1.00");
        }

        if (r.Baseline is null)
        {
            return ("—", "—");
        }

        if (baselines.For(r) is not { Throughput: > 0 } b)
        {
            return (r.Baseline, "no baseline result");
        }

        var value = r.Throughput / b.Throughput;
        var sameConcurrency = b.Concurrency == r.Concurrency ? "" : Invariant($" (baseline at c={b.Concurrency})");
        return (r.Baseline == BaselineKeys.Kestrel ? "bare Kestrel" : "raw Npgsql", Invariant($"{value:0.00}{sameConcurrency}"));
    }

    private static double? RatioOf(WorkloadResult? r, Baselines baselines) =>
        r is { Skipped: null } && baselines.For(r) is { Throughput: > 0 } b ? r.Throughput / b.Throughput : null;

    private static IEnumerable<(string Target, string Figure, string Status)> Targets(IReadOnlyList<WorkloadResult> results, Baselines baselines)
    {
        WorkloadResult? Find(string mode, string workload) => results.LastOrDefault(r => r.Mode == mode && r.Workload == workload);

        string Missing(WorkloadResult? r) => r?.Skipped is { } s ? "not measured: " + s : "not measured";

        foreach (var (mode, limit, label) in new[] { ("embedded", ReadEmbeddedTarget, "embedded"), ("clustered", ReadClusteredTarget, "Api and Silo as separate processes") })
        {
            var r = Find(mode, WorkloadNames.CityGet);
            var ratio = RatioOf(r, baselines);
            yield return ($"read path (GET /cities/{{id}}) ≥ {limit:0.0} × bare Kestrel ({label})",
                ratio is { } x ? Invariant($"{x:0.00} × ({r!.Throughput:0}/s vs {baselines.For(r)!.Throughput:0}/s)") : Missing(r),
                ratio is { } y ? Met(y >= limit) : "not measured");
        }

        foreach (var workload in new[] { WorkloadNames.Register, WorkloadNames.SaveDraft, WorkloadNames.MayorEndorsement, WorkloadNames.Submit, WorkloadNames.CommissionEndorse })
        {
            var r = Find("clustered", workload);
            var ratio = RatioOf(r, baselines);
            yield return (Invariant($"PostgreSQL write path ≥ {WriteTarget:0.0} × raw Npgsql commits, same concurrency: {workload}"),
                ratio is { } x ? Invariant($"{x:0.00} × ({r!.Throughput:0}/s vs {baselines.For(r)!.Throughput:0}/s)") : Missing(r),
                ratio is { } y ? Met(y >= WriteTarget) : "not measured");
        }

        foreach (var mode in new[] { "embedded", "clustered" })
        {
            var r = results.LastOrDefault(x => x.Mode == mode && x.Workload.StartsWith("event feed:", StringComparison.Ordinal) && x.Workload.Contains("delivery", StringComparison.Ordinal));
            var target = Invariant($"event feed {FeedSubscribersTarget:N0} subscribers × {FeedRateTarget:0} events/s, p99 < {FeedP99TargetMs:0} ms ({mode})");
            if (r is not { Skipped: null })
            {
                yield return (target, Missing(r), "not measured");
                continue;
            }

            var subscribers = r.Figures.GetValueOrDefault(FigureNames.Subscribers);
            var rate = r.Figures.GetValueOrDefault(FigureNames.EventsPerSecond);
            var delivered = r.Figures.GetValueOrDefault(FigureNames.Delivered);
            var expected = r.Figures.GetValueOrDefault(FigureNames.Expected);
            var met = subscribers >= FeedSubscribersTarget && rate >= FeedRateTarget * 0.95 && delivered >= expected && expected > 0 && r.P99Ms < FeedP99TargetMs;
            yield return (target,
                Invariant($"p99 {F(r.P99Ms)} ms, p50 {F(r.P50Ms)} ms, {delivered:0}/{expected:0} delivered, {r.Throughput:0} deliveries/s at {rate:0.0} events/s"),
                Met(met));
        }

        foreach (var mode in new[] { "embedded", "clustered" })
        {
            var r = results.LastOrDefault(x => x.Mode == mode && x.Workload.StartsWith("event feed:", StringComparison.Ordinal) && x.Workload.Contains("idle", StringComparison.Ordinal));
            var target = Invariant($"{IdleTarget:N0} idle subscribers with bounded memory ({mode})");
            if (r is not { Skipped: null })
            {
                yield return (target, Missing(r), "not measured");
                continue;
            }

            var connected = r.Figures.GetValueOrDefault(FigureNames.Connected);
            var growth = r.Figures.GetValueOrDefault(FigureNames.HoldGrowthPercent);
            var per1000 = r.Figures.GetValueOrDefault(FigureNames.RssPer1000Mb);
            yield return (target,
                Invariant($"{connected:0} held; {per1000:0.0} MB RSS per 1,000; RSS {growth:+0.0;-0.0}% while held idle; server RSS {r.Figures.GetValueOrDefault(FigureNames.ServerRssMb):0} MB"),
                Met(connected >= IdleTarget && growth <= IdleGrowthLimitPercent));
        }

        foreach (var mode in new[] { "embedded", "clustered" })
        {
            var r = results.LastOrDefault(x => x.Mode == mode && x.Skipped is null && x.Figures.ContainsKey(FigureNames.BytesPerCity));
            var target = Invariant($"memory per activated city grain < {CityGrainBytesTarget / 1024:0} KB ({mode}, grain process RSS growth per registered city)");
            yield return r is null
                ? (target, "not measured", "not measured")
                : (target, Invariant($"{r.Figures[FigureNames.BytesPerCity] / 1024:0.0} KB (upper bound: includes the directory summary and store caches)"),
                    Met(r.Figures[FigureNames.BytesPerCity] < CityGrainBytesTarget));
        }

        foreach (var level in new[] { 10_000, 100_000 })
        {
            foreach (var mode in new[] { "embedded", "clustered" })
            {
                var get = Find(mode, WorkloadNames.ScaleCityGet(level));
                var directory = Find(mode, WorkloadNames.ScaleDirectory(level));
                var register = Find(mode, WorkloadNames.ScaleRegister(level));
                var target = Invariant($"throughput and memory at {level:N0} registered cities ({mode})");
                yield return get is { Skipped: null }
                    ? (target, Invariant(
                        $"city GET {get.Throughput:0}/s (p99 {F(get.P99Ms)} ms), directory page {directory?.Throughput ?? double.NaN:0}/s (p99 {F(directory?.P99Ms ?? double.NaN)} ms), register {register?.Throughput ?? double.NaN:0}/s; grain process RSS {get.Figures.GetValueOrDefault(FigureNames.GrainRssMb):0} MB"),
                        "measured")
                    : (target, Missing(get ?? register), "not measured");
            }
        }
    }

    /// <summary>
    /// Each workload is divided by its baseline measured in the same mode (the system runs measure the baselines
    /// right before their reads and writes, under the same machine load), else by the last one measured.
    /// </summary>
    private sealed class Baselines(IReadOnlyList<WorkloadResult> results)
    {
        private readonly List<WorkloadResult> _all = [.. results.Where(r => r.BaselineKey is not null && r.Skipped is null)];

        public WorkloadResult? For(WorkloadResult r) => r.Baseline is not { } key
            ? null
            : _all.LastOrDefault(b => b.BaselineKey == key && b.Mode == r.Mode) ?? _all.LastOrDefault(b => b.BaselineKey == key);
    }

    private static string Met(bool met) => met ? "**met**" : "**not met**";

    private static string F(double ms) => double.IsNaN(ms) ? "—" : ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
