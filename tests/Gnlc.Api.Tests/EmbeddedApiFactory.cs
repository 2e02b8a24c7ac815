using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Api.Tests;

/// <summary>
/// The embedded default (Api co-hosting a silo on SQLite) served by real Kestrel on a free port,
/// with its own data folder and Orleans ports so that several can run side by side.
/// </summary>
public sealed class EmbeddedApiFactory : WebApplicationFactory<Program>
{
    private readonly bool _ownsDataDirectory;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    /// <param name="dataDirectory">
    /// A data folder to (re)use, kept on dispose (e.g. across a restart); by default a fresh temporary
    /// folder, deleted on dispose.
    /// </param>
    /// <param name="settings">Configuration that overrides the defaults below (e.g. a tight rate limit).</param>
    /// <param name="configureServices">Services added after the application's own (e.g. an in-memory trace exporter).</param>
    public EmbeddedApiFactory(
        string? dataDirectory = null,
        IReadOnlyDictionary<string, string>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        _configureServices = configureServices;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("gnlc-api-").FullName;
        UseKestrel(0);
    }

    public string DataDirectory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Gnlc:Embedded:DataDirectory", DataDirectory);
        builder.UseSetting("Orleans:Endpoints:SiloPort", FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:Endpoints:GatewayPort", FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The tests send hundreds of requests as one identity or from one address within seconds.
        builder.UseSetting("RateLimiting:PermitLimit", "1000000");
        // No demo data unless a test asks for it (settings): tests count what they register themselves.
        builder.UseSetting("Gnlc:Demo:Enabled", "false");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_configureServices is not null)
        {
            builder.ConfigureServices(_configureServices);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS's temp cleanup.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    internal static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
