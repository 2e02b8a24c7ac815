using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Dashboard;

namespace Gnlc.Silo.Telemetry;

/// <summary>
/// The Orleans Dashboard of a silo. It has no authentication, so it is off unless <see cref="UrlKey"/> names an address
/// of its own (e.g. <c>http://127.0.0.1:8090</c>); then it is served on that address only, and every other address of
/// the process answers 404 for its routes (and the dashboard's address answers nothing else).
/// </summary>
public static partial class GnlcDashboard
{
    public const string UrlKey = "Gnlc:Dashboard:Url";

    /// <summary>Adds the dashboard's silo services when <see cref="UrlKey"/> is set.</summary>
    public static ISiloBuilder AddGnlcDashboard(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (UrlFrom(configuration) is not null)
        {
            silo.AddDashboard();
        }

        return silo;
    }

    /// <summary>
    /// Serves the dashboard on its own address when <see cref="UrlKey"/> is set and this process hosts a silo. Call it
    /// first after <c>Build()</c>: its gate must run before any other middleware.
    /// </summary>
    public static WebApplication UseGnlcDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (UrlFrom(app.Configuration) is not { } url)
        {
            return app;
        }

        if (app.Services.GetService<ISiloStatusOracle>() is null)
        {
            // An Api in clustered mode hosts no silo: the dashboard belongs on the silos.
            LogNoSilo(app.Logger, url);
            return app;
        }

        // Listen on the process's usual addresses and on the dashboard's. Kestrel takes the configured addresses only
        // when none were added in code, so the usual ones are resolved here the way the host would resolve them.
        if (app.Urls.Count == 0)
        {
            foreach (var address in ConfiguredUrls(app.Configuration))
            {
                app.Urls.Add(address);
            }
        }

        app.Urls.Add(url.GetLeftPart(UriPartial.Authority));
        var port = url.Port;
        app.Use((context, next) =>
        {
            var onDashboardPort = context.Connection.LocalPort == port;
            var isDashboard = context.GetEndpoint()?.Metadata.GetMetadata<DashboardEndpoint>() is not null;
            if (onDashboardPort != isDashboard)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.MapOrleansDashboard().WithMetadata(DashboardEndpoint.Instance);
        LogServed(app.Logger, url);
        return app;
    }

    internal static Uri? UrlFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[UrlKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && !url.IsDefaultPort && url.Port > 0
            ? url
            : throw new InvalidOperationException($"{UrlKey} must be an http URL with an explicit port, e.g. http://127.0.0.1:8090; it is '{value}'.");
    }

    /// <summary>The addresses the host would bind: <c>urls</c>, else <c>http_ports</c>/<c>https_ports</c>, else its default.</summary>
    private static List<string> ConfiguredUrls(IConfiguration configuration)
    {
        static IEnumerable<string> Split(string? list) =>
            (list ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var urls = Split(configuration["urls"]).ToList();
        if (urls.Count > 0)
        {
            return urls;
        }

        var ports = Split(configuration["http_ports"]).Select(p => $"http://*:{p}")
            .Concat(Split(configuration["https_ports"]).Select(p => $"https://*:{p}"))
            .ToList();
        return ports.Count > 0 ? ports : ["http://localhost:5000"];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Orleans Dashboard served on {Url} only.")]
    private static partial void LogServed(ILogger logger, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gnlc:Dashboard:Url is {Url}, but this process hosts no silo: no dashboard here.")]
    private static partial void LogNoSilo(ILogger logger, Uri url);

    /// <summary>Marks the dashboard's endpoints.</summary>
    private sealed class DashboardEndpoint
    {
        public static readonly DashboardEndpoint Instance = new();
    }
}
