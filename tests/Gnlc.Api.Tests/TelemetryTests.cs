using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Gnlc.Api.Tests.Events;
using Gnlc.Events;
using Gnlc.Silo.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Gnlc.Api.Tests;

/// <summary>OpenTelemetry of the embedded default over a real socket: the scrape endpoint, the domain counters, traces.</summary>
public sealed partial class TelemetryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_endpoint_serves_Prometheus_text_with_the_Gnlc_counters_after_a_submission()
    {
        await using var factory = new EmbeddedApiFactory();
        factory.StartServer();
        using var http = factory.CreateClient();
        var cycle = new MembershipCycle(factory.Services.GetRequiredService<IClusterClient>());

        var period = await cycle.OpenPeriodAsync();
        var city = await cycle.RegisterCityAsync("FI", "Espoo " + Guid.NewGuid().ToString("N")[..6]);
        await cycle.ApplyAsync(city.Id, period.Id);

        // A request that completed, so that ASP.NET Core's request duration has a measurement.
        using (var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative), Cancellation))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        using var response = await http.GetAsync(new Uri(GnlcServiceDefaults.MetricsPath, UriKind.Relative), Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE gnlc_applications_submitted_total counter", text, StringComparison.Ordinal);
        Assert.True(SampleValue(text, "gnlc_applications_submitted_total") >= 1, text);
        Assert.True(SampleValue(text, "gnlc_events_published_total", "type=\"ApplicationSubmitted\"") >= 1, text);
        // Orleans' own meter and ASP.NET Core's are scraped too.
        Assert.Contains("orleans_", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Domain_counters_increase_by_exactly_the_events_committed()
    {
        await using var factory = new EmbeddedApiFactory();
        factory.StartServer();
        var grains = factory.Services.GetRequiredService<IClusterClient>();
        var metrics = factory.Services.GetRequiredService<GnlcMetrics>();
        var measured = new ConcurrentQueue<(string Instrument, string? Type, long Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This host's meter only: other tests' hosts in this process have meters of the same name.
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? type = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "type")
                {
                    type = tag.Value as string;
                }
            }

            measured.Enqueue((instrument.Name, type, value));
        });
        listener.Start();
        var log = grains.GetGrain<IEventLogGrain>(IEventLogGrain.Key);
        var head = await log.GetHeadAsync();

        var cycle = new MembershipCycle(grains);
        var period = await cycle.OpenPeriodAsync();
        var first = await cycle.RegisterCityAsync("FI", "Tampere " + Guid.NewGuid().ToString("N")[..6]);
        var second = await cycle.RegisterCityAsync("FI", "Turku " + Guid.NewGuid().ToString("N")[..6]);
        await cycle.ApplyAsync(first.Id, period.Id);
        await cycle.ApplyAsync(second.Id, period.Id);

        // Every committed event is in the log; wait (bounded) until the counters caught up with it.
        IReadOnlyList<FeedEvent> committed = [];
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            committed = await log.ReadAfterAsync(head, IEventLogGrain.MaxPage);
            if (Sum(measured, "gnlc.events.published") >= committed.Count && committed.Count > 0)
            {
                break;
            }

            Assert.True(deadline.Elapsed < Patience, $"{Sum(measured, "gnlc.events.published")} counted, {committed.Count} committed");
            await Task.Delay(20, Cancellation);
        }

        committed = await log.ReadAfterAsync(head, IEventLogGrain.MaxPage);
        Assert.Equal(committed.Count, Sum(measured, "gnlc.events.published"));
        foreach (var type in committed.GroupBy(e => e.Event.Type.ToString()))
        {
            Assert.Equal(type.Count(), measured.Where(m => m.Instrument == "gnlc.events.published" && m.Type == type.Key).Sum(m => m.Value));
        }

        Assert.Equal(2, committed.Count(e => e.Event.Type == DomainEventType.ApplicationSubmitted));
        Assert.Equal(2, Sum(measured, "gnlc.applications.submitted"));
        Assert.Equal(0, Sum(measured, "gnlc.endorsements"));
        Assert.Equal(0, Sum(measured, "gnlc.admissions"));
    }

    [Fact]
    public async Task A_request_is_traced_as_a_server_span_with_the_Orleans_grain_call_as_its_child()
    {
        var spans = new EndedSpans();
        // A processor added in code: traces turned on explicitly (by default only the OTLP endpoint turns them on).
        await using var factory = new EmbeddedApiFactory(
            settings: new Dictionary<string, string> { [GnlcServiceDefaults.TracingKey] = "true" },
            configureServices: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(spans)));
        factory.StartServer();
        using var http = factory.CreateClient();
        // A city no grain has published a view of: the embedded GET of an active city reads the co-hosted silo's view
        // without a grain call, this one asks the grain (which refuses it).
        var path = "/api/v1/cities/" + GrainKeys.NewCityId("FI", "Oulu " + Guid.NewGuid().ToString("N")[..6]);

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        // A span is exported when it ends, just after the response went out.
        Activity? server = null;
        var deadline = Stopwatch.StartNew();
        while (server is null)
        {
            server = spans.Ended.FirstOrDefault(s => s.Kind == ActivityKind.Server
                && s.Source.Name == "Microsoft.AspNetCore"
                && (string?)s.GetTagItem("url.path") == path);

            Assert.True(server is not null || deadline.Elapsed < Patience, "no server span for " + path);
            await Task.Delay(20, Cancellation);
        }

        Activity[] children = [.. spans.Ended.Where(s => s.TraceId == server.TraceId && s.ParentSpanId == server.SpanId)];

        var grainCall = Assert.Single(children, s => s.Source.Name == "Microsoft.Orleans.Application");
        Assert.Equal(ActivityKind.Client, grainCall.Kind);
        Assert.Contains("CityGrain", grainCall.DisplayName, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("auto", null, false)]
    [InlineData(null, "http://127.0.0.1:4317", true)]
    [InlineData("auto", "http://127.0.0.1:4317", true)]
    [InlineData("true", null, true)]
    [InlineData("false", "http://127.0.0.1:4317", false)]
    public void Traces_are_recorded_only_when_exported_or_turned_on(string? setting, string? otlpEndpoint, bool expected)
    {
        var values = new Dictionary<string, string?>
        {
            [GnlcServiceDefaults.TracingKey] = setting,
            [GnlcServiceDefaults.OtlpEndpointKey] = otlpEndpoint,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        Assert.Equal(expected, GnlcServiceDefaults.TracingEnabled(configuration));
    }

    [Fact]
    public async Task Without_an_exporter_no_tracer_provider_listens()
    {
        await using var factory = new EmbeddedApiFactory();

        Assert.Null(factory.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task Shutdown_timeout_is_30_seconds_by_default_and_configurable()
    {
        await using (var defaults = new EmbeddedApiFactory())
        {
            Assert.Equal(TimeSpan.FromSeconds(30), defaults.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        }

        await using var configured = new EmbeddedApiFactory(settings: new Dictionary<string, string> { [GnlcServiceDefaults.ShutdownTimeoutKey] = "00:00:45" });
        Assert.Equal(TimeSpan.FromSeconds(45), configured.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    private static long Sum(IEnumerable<(string Instrument, string? Type, long Value)> measured, string instrument) =>
        measured.Where(m => m.Instrument == instrument).Sum(m => m.Value);

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels contain <paramref name="label"/>.</summary>
    private static double SampleValue(string exposition, string metric, string label = "")
    {
        foreach (Match match in SampleLine().Matches(exposition))
        {
            if (match.Groups["name"].Value == metric && match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
            {
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return double.NaN;
    }

    /// <summary>
    /// Every span that ends, kept in a concurrent queue: the listeners are process-wide, so the other tests' hosts end
    /// spans into it while this test reads it (a plain list is not safe for that).
    /// </summary>
    private sealed class EndedSpans : BaseProcessor<Activity>
    {
        private readonly ConcurrentQueue<Activity> _ended = new();

        public IEnumerable<Activity> Ended => _ended;

        public override void OnEnd(Activity data) => _ended.Enqueue(data);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
