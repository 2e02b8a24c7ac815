using System.Text.Json;
using System.Text.Json.Serialization;
using Gnlc.Cities;
using Gnlc.LoadGen.Measurement;
using Gnlc.LoadGen.Target;

namespace Gnlc.LoadGen.Baselines;

/// <summary>
/// The read ceiling: a bare Kestrel app (slim builder, no auth, no rate limiter, no grains) answering
/// <c>GET /api/v1/cities/{cityId}</c> with the same JSON as the system's city GET. It serializes a
/// <see cref="CityView"/> per request with the API's JSON settings (web defaults, enums as strings). The system
/// run hands it the system's own response for a city (<c>PUT /__sample</c>) right before measuring it, so the
/// bodies are byte for byte the same; a document that is not a CityView is served as it is.
/// </summary>
internal static class KestrelBaseline
{
    private const string DefaultSample =
        """{"id":"ie-bench-1","name":"Bench 1","country":"ie","population":250000,"mayor":"Mayor 1","status":"Candidate","representatives":[],"progressReports":[],"awards":[],"version":1}""";

    private static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The <c>kestrel-baseline</c> command: serves until killed.</summary>
    public static async Task<int> ServeAsync(Cli cli)
    {
        var urls = cli.Text("urls") ?? "http://127.0.0.1:5100";
        var sample = cli.Text("sample");
        cli.EnsureAllRead();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        var served = Parse(sample is null ? System.Text.Encoding.UTF8.GetBytes(DefaultSample) : File.ReadAllBytes(sample));
        app.MapGet("/api/v1/cities/{cityId}", IResult (string cityId, HttpContext context) =>
        {
            var current = served;
            context.Response.Headers.ETag = "\"" + (current.View?.Version ?? 1) + "\"";
            return current.View is { } view
                ? TypedResults.Json(view with { Id = cityId }, ApiJson)
                : TypedResults.Json(current.Document, ApiJson);
        });
        app.MapPut("/__sample", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            served = Parse(body.ToArray());
            return Results.Text(served.View is not null ? "CityView" : "document");
        });
        app.MapGet("/health/ready", () => "ready");
        // Its process id, so that the load generator can read the baseline's CPU per request.
        app.MapGet("/__pid", () => Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await app.RunAsync();
        return 0;
    }

    /// <summary>The <c>kestrel</c> command: measures the baseline on its own (the system runs measure it themselves).</summary>
    public static async Task<int> LoadAsync(Cli cli)
    {
        var url = new Uri(cli.Text("url") ?? "http://127.0.0.1:5100");
        var concurrency = cli.Int("concurrency", 64);
        var length = RunLength.Timed(cli.Seconds("warmup", 3), cli.Seconds("duration", 10));
        var results = cli.Text("results");
        var sample = cli.Text("sample");
        var mode = cli.Text("mode") ?? "baseline";
        // The server's process, for its CPU per request when it is not the baseline (which tells its own).
        var serverPid = cli.Int("server-pid", 0);
        cli.EnsureAllRead();
        var result = await MeasureAsync(url, concurrency, length, mode, sample is null ? null : await File.ReadAllBytesAsync(sample), CancellationToken.None, serverPid);
        ResultStore.Append(results, result);
        return 0;
    }

    /// <summary>Hands the server <paramref name="sample"/> (a city GET body of the system), then runs the city GET load on it.</summary>
    public static async Task<WorkloadResult> MeasureAsync(
        Uri url, int concurrency, RunLength length, string mode, byte[]? sample, CancellationToken cancellationToken, int serverPid = 0)
    {
        ArgumentNullException.ThrowIfNull(length);
        using var api = new GnlcApi(url, concurrency + 8);
        await api.WaitReadyAsync(TimeSpan.FromMinutes(1), cancellationToken);
        var id = "ie-bench-1";
        if (sample is not null)
        {
            var set = await api.SendAsync(HttpMethod.Put, "/__sample", "PUT /__sample", sample, null, cancellationToken);
            if (!set.IsSuccess)
            {
                throw new InvalidOperationException("the Kestrel baseline refused the sample: " + set.ErrorKey);
            }

            id = Parse(sample).View?.Id ?? id;
        }

        // The sample's own id, so that the body is byte for byte the system's response for that city.
        var path = "/api/v1/cities/" + id;
        var body = (await api.GetAsync(path, "GET /api/v1/cities/{cityId}", cancellationToken)).Body.Length;
        if (serverPid == 0)
        {
            var pid = await api.GetAsync("/__pid", "GET /__pid", cancellationToken);
            serverPid = pid.IsSuccess && int.TryParse(System.Text.Encoding.UTF8.GetString(pid.Body), System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : 0;
        }

        var cpu = new CpuPerOperation(serverPid, 0, null, "server");
        var outcome = await LoadRunner.RunAsync(concurrency, length, async (_, ct) =>
            (await api.GetAsync(path, "GET /api/v1/cities/{cityId}", ct)).ErrorKey, cancellationToken, cpu.Start);
        return (WorkloadResult.From(mode, WorkloadNames.KestrelBaseline, concurrency, outcome, notes: $"body {body} B") with
        {
            BaselineKey = BaselineKeys.Kestrel,
        }).WithNote(cpu.Note(outcome.Latency.Count)).WithFigure(FigureNames.BodyBytes, body);
    }

    private static Served Parse(byte[] bytes)
    {
        try
        {
            var view = JsonSerializer.Deserialize<CityView>(bytes, ApiJson);
            if (view is not null && !string.IsNullOrEmpty(view.Id))
            {
                // Round trip: the same fields as the sample, or the sample has fields a CityView does not carry.
                var again = JsonSerializer.SerializeToUtf8Bytes(view, ApiJson);
                if (Math.Abs(again.Length - bytes.Length) <= 16)
                {
                    return new Served(view, default);
                }
            }
        }
        catch (JsonException)
        {
            // Not a CityView: serve the document.
        }

        using var doc = JsonDocument.Parse(bytes);
        return new Served(null, doc.RootElement.Clone());
    }

    private sealed record Served(CityView? View, JsonElement Document);
}
