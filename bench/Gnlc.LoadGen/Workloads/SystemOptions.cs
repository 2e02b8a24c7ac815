namespace Gnlc.LoadGen.Workloads;

/// <summary>Options of the <c>system</c> command: what to run against one started system (embedded or clustered).</summary>
internal sealed record SystemOptions
{
    public required Uri Url { get; init; }

    /// <summary><c>embedded</c> or <c>clustered</c>: a label for the results.</summary>
    public required string Mode { get; init; }

    /// <summary>The process serving HTTP (and the event feed): its RSS is read for the idle subscribers.</summary>
    public int ServerPid { get; init; }

    /// <summary>The process hosting the grains (the Api when embedded, the Silo when clustered): RSS per city.</summary>
    public int GrainPid { get; init; }

    public string? Results { get; init; }

    /// <summary>Where to write one city's GET body, for the Kestrel baseline to serve the same JSON.</summary>
    public string? SampleOut { get; init; }

    public required ISet<string> Workloads { get; init; }

    /// <summary>The bare Kestrel baseline server: measured right before this system's reads, on its city JSON.</summary>
    public Uri? KestrelUrl { get; init; }

    /// <summary>A database for the raw Npgsql baseline: measured right before this system's writes.</summary>
    public string? NpgsqlConnection { get; init; }

    /// <summary>The system's PostgreSQL store (clustered): the baseline's payload is its average stored city state.</summary>
    public string? StoreConnection { get; init; }

    /// <summary>The baseline's payload when the store cannot be asked (embedded: SQLite).</summary>
    public int PayloadBytes { get; init; } = 320;

    public int ReadConcurrency { get; init; } = 64;

    public int WriteConcurrency { get; init; } = 32;

    /// <summary>
    /// Concurrent registrations while growing to the scale levels: the same POST /cities, more of them in flight,
    /// so that 100,000 cities take minutes instead of hours. Registration is latency-bound (each waits on its own
    /// write, its country's directory shard and the event log), so throughput grows with the requests in flight.
    /// </summary>
    public int ScaleConcurrency { get; init; } = 256;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Unmeasured read traffic before the first read workload: the server compiles its read path (tiered JIT) once,
    /// which a 3 s warm-up does not cover on 2 busy cores (a quarter of the Api's samples in the first reads' profile
    /// were the JIT); the bare Kestrel baseline is a tiny app, warm at once. The first quarter of the seed
    /// registrations (the first write workload) is untimed for the same reason.
    /// </summary>
    public TimeSpan ReadWarmup { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The longest wait, after each untimed warm-up (the first registrations, the read warm-up, a run of every write
    /// path on cities the measured writes do not use), for the Api and the Silo to fall idle: the tiered JIT compiles
    /// in the background, and a profile of the counted writes (submit, commission endorse, each the first run of its
    /// path) found the tiering thread at 30 to 49% of both processes' samples; the city GET measured after the 10,000
    /// city growth ran up to 1.35 times faster than right after its 20 s warm-up.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The city GET and its bare Kestrel ceiling are measured this many times, alternating (ceiling, city GET, ceiling,
    /// ...), and the pair with the median ratio is reported: the machine's speed drifts between windows a few seconds
    /// apart (the load generator's CPU per request, the same work in every window, moved with it), and a single pair
    /// read that drift as a ratio.
    /// </summary>
    public int ReadPairs { get; init; } = 3;

    /// <summary>Cities registered first (the register workload itself): "thousands of cities".</summary>
    public int SeedCities { get; init; } = 5000;

    /// <summary>Cities that go through save draft → mayor endorsement → submit → commission endorse.</summary>
    public int SubmitCities { get; init; } = 1000;

    /// <summary>Cities whose drafts and profiles the mixed workload edits.</summary>
    public int MixedCities { get; init; } = 500;

    public int FeedSubscribers { get; init; } = 1000;

    public double FeedRate { get; init; } = 20;

    public TimeSpan FeedDuration { get; init; } = TimeSpan.FromSeconds(20);

    public int IdleSubscribers { get; init; } = 10_000;

    public TimeSpan IdleHold { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Registered-city counts to grow to, measuring throughput and memory at each (e.g. 10000,100000).</summary>
    public IReadOnlyList<int> ScaleLevels { get; init; } = [10_000];

    /// <summary>Short lower-case tag that keeps city names and the period id unique per run.</summary>
    public string Tag { get; init; } = "b" + DateTime.UtcNow.ToString("MMddHHmm", System.Globalization.CultureInfo.InvariantCulture);

    public const string Reads = "reads";
    public const string Writes = "writes";
    public const string Mixed = "mixed";
    public const string Feed = "feed";
    public const string Idle = "idle";
    public const string Scale = "scale";

    public static readonly string[] All = [Reads, Writes, Mixed, Feed, Idle, Scale];
}
