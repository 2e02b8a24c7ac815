using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gnlc.LoadGen.Measurement;

/// <summary>Which ceiling a workload is compared with.</summary>
internal static class BaselineKeys
{
    /// <summary>Bare Kestrel serving a city's JSON (the read ceiling).</summary>
    public const string Kestrel = "kestrel";

    /// <summary>Raw Npgsql single-row upserts on the same PostgreSQL (the write ceiling).</summary>
    public const string Npgsql = "npgsql";
}

/// <summary>One line of the results table; stored as one JSON line per workload so that every step of run.sh appends to one file.</summary>
internal sealed record WorkloadResult
{
    /// <summary><c>embedded</c>, <c>clustered</c> or <c>baseline</c>.</summary>
    public required string Mode { get; init; }

    public required string Workload { get; init; }

    public int Concurrency { get; init; }

    /// <summary>Successful operations measured (after warm-up).</summary>
    public long Ops { get; init; }

    public long Errors { get; init; }

    public double Seconds { get; init; }

    public double Throughput { get; init; }

    public double P50Ms { get; init; } = double.NaN;

    public double P99Ms { get; init; } = double.NaN;

    public double MaxMs { get; init; } = double.NaN;

    /// <summary>The baseline this workload's throughput is divided by, if any (<see cref="BaselineKeys"/>).</summary>
    public string? Baseline { get; init; }

    /// <summary>Set on a baseline's own result: the key other workloads name.</summary>
    public string? BaselineKey { get; init; }

    /// <summary>Why the workload did not run (route not available, a prerequisite failed).</summary>
    public string? Skipped { get; init; }

    /// <summary>Free text: error breakdown, memory figures, sizes.</summary>
    public string? Notes { get; init; }

    /// <summary>Named figures the targets are checked against (e.g. <c>rssPer1000Kb</c>).</summary>
    public Dictionary<string, double> Figures { get; init; } = [];

    public static WorkloadResult Skip(string mode, string workload, string reason) =>
        new() { Mode = mode, Workload = workload, Skipped = reason };

    public static WorkloadResult From(string mode, string workload, int concurrency, RunOutcome outcome, string? baseline = null, string? notes = null) => new()
    {
        Mode = mode,
        Workload = workload,
        Concurrency = concurrency,
        Ops = outcome.Latency.Count,
        Errors = outcome.Errors,
        Seconds = outcome.Elapsed.TotalSeconds,
        Throughput = outcome.Elapsed.TotalSeconds > 0 ? outcome.Latency.Count / outcome.Elapsed.TotalSeconds : 0,
        P50Ms = outcome.Latency.P50Ms,
        P99Ms = outcome.Latency.P99Ms,
        MaxMs = outcome.Latency.MaxMs,
        Baseline = baseline,
        Notes = Join(notes, outcome.ErrorSummary),
    };

    /// <summary>A copy with one more named figure.</summary>
    public WorkloadResult WithFigure(string name, double value) =>
        this with { Figures = new Dictionary<string, double>(Figures) { [name] = value } };

    /// <summary>A copy with one more note.</summary>
    public WorkloadResult WithNote(string? note) => this with { Notes = Join(Notes, note) };

    private static string? Join(string? a, string? b) =>
        string.IsNullOrEmpty(a) ? b : string.IsNullOrEmpty(b) ? a : a + "; " + b;
}

/// <summary>Appends results to the JSON-lines file and prints each as it comes.</summary>
internal static class ResultStore
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly Lock Gate = new();

    public static void Append(string? path, WorkloadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Console.WriteLine(Describe(result));
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        lock (Gate)
        {
            File.AppendAllText(path, JsonSerializer.Serialize(result, Json) + Environment.NewLine);
        }
    }

    public static List<WorkloadResult> Load(string path) =>
        [.. File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l => JsonSerializer.Deserialize<WorkloadResult>(l, Json)!)];

    private static string Describe(WorkloadResult r) => r.Skipped is { } reason
        ? FormattableString.Invariant($"  [{r.Mode}] {r.Workload}: SKIPPED: {reason}")
        : FormattableString.Invariant(
            $"  [{r.Mode}] {r.Workload}: {r.Throughput:0.0}/s  p50 {r.P50Ms:0.00} ms  p99 {r.P99Ms:0.00} ms  max {r.MaxMs:0.00} ms  ({r.Ops} ok, {r.Errors} errors, c={r.Concurrency}, {r.Seconds:0.0} s){(r.Notes is null ? "" : "  " + r.Notes)}");
}
