using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gnlc.Silo.Telemetry;

/// <summary>
/// What every GNLC process (Silo and Api, either mode) shares for operations: OpenTelemetry traces and metrics (ASP.NET
/// Core, HttpClient, Orleans, Npgsql and the domain meter <see cref="GnlcMetrics.MeterName"/>), a Prometheus scrape
/// endpoint, an OTLP exporter when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and the graceful shutdown timeout.
/// Traces are recorded only when exported (<see cref="TracingKey"/>).
/// Console logs are JSON with the standard <c>Logging:Console:FormatterName=json</c> (docs/TELEMETRY.md).
/// </summary>
public static class GnlcServiceDefaults
{
    /// <summary>How long a stopping process waits for requests, SSE clients and grain deactivation (default 30 s).</summary>
    public const string ShutdownTimeoutKey = "Gnlc:ShutdownTimeout";

    /// <summary>The Prometheus scrape endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The standard OpenTelemetry variable that turns the OTLP exporter on.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether traces are recorded: <c>auto</c> (the default) records them only when the OTLP exporter is configured,
    /// <c>true</c> always (for an exporter added in code), <c>false</c> never. Metrics are not affected.
    /// </summary>
    /// <remarks>
    /// A tracer provider with no exporter still samples every span (always-on) and fills in its tags: on the city GET
    /// that was about a quarter of the request's CPU (the server span's tags, the Orleans client and server spans)
    /// spent on spans nobody reads.
    /// </remarks>
    public const string TracingKey = "Gnlc:Telemetry:Tracing";

    /// <summary>Orleans' activity sources: grain calls of the application, and of the runtime's system targets.</summary>
    public static readonly IReadOnlyList<string> OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>Orleans' meter.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    public static IHostApplicationBuilder AddGnlcServiceDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var shutdown = configuration.GetValue(ShutdownTimeoutKey, DefaultShutdownTimeout);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = shutdown);

        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<GnlcMetrics>();

        var telemetry = builder.Services.AddOpenTelemetry();
        if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
        {
            telemetry.ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName));
        }

        if (TracingEnabled(configuration))
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsOperational(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource([.. OrleansActivitySources])
                .AddNpgsql());
        }

        telemetry
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(OrleansMeter, GnlcMetrics.MeterName)
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            // Endpoint, protocol, headers: the standard OTEL_EXPORTER_OTLP_* variables.
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Whether <see cref="TracingKey"/> turns traces on (see there).</summary>
    public static bool TracingEnabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var setting = configuration[TracingKey]?.Trim();
        if (string.IsNullOrEmpty(setting) || string.Equals(setting, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        }

        return bool.TryParse(setting, out var on)
            ? on
            : throw new InvalidOperationException($"{TracingKey} must be auto, true or false; it is '{setting}'.");
    }

    /// <summary>Maps <c>GET /metrics</c> (Prometheus text format).</summary>
    public static IEndpointRouteBuilder MapGnlcMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath);
        return endpoints;
    }

    // Probes and scrapes are not traced: they would drown the traces of real requests.
    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase);
}
