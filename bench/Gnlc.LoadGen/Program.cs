using Gnlc.LoadGen;
using Gnlc.LoadGen.Baselines;
using Gnlc.LoadGen.Measurement;
using Gnlc.LoadGen.Workloads;

// Commands (bench/run.sh runs them in this order):
//   system            every workload against a started system (embedded or clustered)
//   kestrel-baseline  serve the bare Kestrel baseline (until killed)
//   kestrel           the city GET load against that baseline
//   npgsql            the raw Npgsql upsert baseline
//   report            the results table with ratios, and the targets
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Gnlc.LoadGen system|kestrel-baseline|kestrel|npgsql|report --option value ...");
    return 2;
}

var cli = new Cli(args[1..]);
try
{
    return args[0] switch
    {
        "system" => await RunSystemAsync(cli),
        "kestrel-baseline" => await KestrelBaseline.ServeAsync(cli),
        "kestrel" => await KestrelBaseline.LoadAsync(cli),
        "npgsql" => await NpgsqlBaseline.RunAsync(cli),
        "report" => Report.Print(cli),
        _ => throw new ArgumentException("unknown command " + args[0]),
    };
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

static async Task<int> RunSystemAsync(Cli cli)
{
    var workloads = cli.Text("workloads") is { Length: > 0 } w
        ? w.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase)
        : SystemOptions.All.ToHashSet(StringComparer.OrdinalIgnoreCase);
    var defaults = new SystemOptions { Url = new Uri("http://127.0.0.1:5000"), Mode = "embedded", Workloads = workloads };
    var options = defaults with
    {
        Url = new Uri(cli.Text("url") ?? defaults.Url.ToString()),
        Mode = cli.Text("mode") ?? defaults.Mode,
        ServerPid = cli.Int("server-pid", 0),
        GrainPid = cli.Int("grain-pid", cli.Int("server-pid", 0)),
        Results = cli.Text("results"),
        SampleOut = cli.Text("sample-out"),
        ReadConcurrency = cli.Int("read-concurrency", defaults.ReadConcurrency),
        WriteConcurrency = cli.Int("write-concurrency", defaults.WriteConcurrency),
        ScaleConcurrency = cli.Int("scale-concurrency", defaults.ScaleConcurrency),
        Warmup = cli.Seconds("warmup", defaults.Warmup.TotalSeconds),
        ReadWarmup = cli.Seconds("read-warmup", defaults.ReadWarmup.TotalSeconds),
        Settle = cli.Seconds("settle", defaults.Settle.TotalSeconds),
        ReadPairs = cli.Int("read-pairs", defaults.ReadPairs),
        Duration = cli.Seconds("duration", defaults.Duration.TotalSeconds),
        SeedCities = cli.Int("seed-cities", defaults.SeedCities),
        SubmitCities = cli.Int("submit-cities", defaults.SubmitCities),
        MixedCities = cli.Int("mixed-cities", defaults.MixedCities),
        FeedSubscribers = cli.Int("feed-subscribers", defaults.FeedSubscribers),
        FeedRate = cli.Double("feed-rate", defaults.FeedRate),
        FeedDuration = cli.Seconds("feed-duration", defaults.FeedDuration.TotalSeconds),
        IdleSubscribers = cli.Int("idle-subscribers", defaults.IdleSubscribers),
        IdleHold = cli.Seconds("idle-hold", defaults.IdleHold.TotalSeconds),
        ScaleLevels = cli.Ints("scale") is { Length: > 0 } levels ? levels : defaults.ScaleLevels,
        Tag = cli.Text("tag") ?? defaults.Tag,
        KestrelUrl = cli.Text("kestrel-url") is { Length: > 0 } k ? new Uri(k) : null,
        NpgsqlConnection = cli.Text("npgsql-connection"),
        StoreConnection = cli.Text("store-connection"),
        PayloadBytes = cli.Int("payload-bytes", defaults.PayloadBytes),
    };
    cli.EnsureAllRead();
    using var run = new SystemRun(options);
    await run.RunAsync(CancellationToken.None);
    return 0;
}
