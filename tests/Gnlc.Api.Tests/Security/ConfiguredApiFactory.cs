using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Gnlc.Api.Tests.Security;

/// <summary>
/// The embedded Api on real Kestrel in a chosen environment (e.g. Production) with chosen settings and,
/// optionally, every log line captured.
/// </summary>
public sealed class ConfiguredApiFactory(string environment, IReadOnlyDictionary<string, string?> settings, CapturedLogs? logs = null)
    : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("gnlc-api-sec-").FullName;

    /// <summary>A signing key that is not the development key (32+ bytes).</summary>
    public const string ProductionKey = "a production signing key for the tests, 48 bytes long";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        UseKestrel(0);
        builder.UseEnvironment(environment);
        builder.UseSetting("Gnlc:Embedded:DataDirectory", _dataDirectory);
        builder.UseSetting("Orleans:Endpoints:SiloPort", FreeTcpPort());
        builder.UseSetting("Orleans:Endpoints:GatewayPort", FreeTcpPort());
        builder.UseSetting("RateLimiting:PermitLimit", "1000000");
        builder.UseSetting("Gnlc:Demo:Enabled", "false");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (logs is not null)
        {
            builder.ConfigureLogging(logging => logging
                .AddProvider(logs)
                .SetMinimumLevel(LogLevel.Trace)
                // Orleans' own tracing is about silos and messages, not requests; its information level is enough.
                .AddFilter("Orleans", LogLevel.Information));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleanup.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private static string FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>Every log message (with its exception and scope-less state) written while it is installed.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
