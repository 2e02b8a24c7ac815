using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Api.Tests.Events;

/// <summary>
/// The embedded default (the Api co-hosting a silo on SQLite) on real Kestrel, as <see cref="EmbeddedApiFactory"/>,
/// with the event feed settings a test class needs.
/// </summary>
/// <param name="settings">Configuration overrides, e.g. <c>Gnlc:Events:ClientBufferSize</c>.</param>
/// <param name="sendBufferSize">
/// A small kernel send buffer for the server's connections (inherited from the listening socket), so a client that
/// stops reading backs the server's writes up after kilobytes instead of megabytes.
/// </param>
public sealed class FeedApiFactory(IReadOnlyDictionary<string, string?>? settings = null, int? sendBufferSize = null) : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("gnlc-feed-").FullName;

    /// <summary>The server's base address (a loopback port); available once <see cref="Start"/> ran.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts Kestrel and returns the server's address.</summary>
    public Uri Start()
    {
        UseKestrel(0);
        StartServer();
        using var client = CreateClient();
        BaseAddress = client.BaseAddress!;
        return BaseAddress;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Gnlc:Embedded:DataDirectory", DataDirectory);
        builder.UseSetting("Orleans:Endpoints:SiloPort", FreeTcpPort());
        builder.UseSetting("Orleans:Endpoints:GatewayPort", FreeTcpPort());
        // Many feed clients connect from one address in these tests.
        builder.UseSetting("RateLimiting:PermitLimit", "100000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (sendBufferSize is { } size)
        {
            builder.ConfigureServices(services => services.Configure<SocketTransportOptions>(options =>
                options.CreateBoundListenSocket = endpoint =>
                {
                    var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                    socket.SendBufferSize = size;
                    return socket;
                }));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS's temp cleanup.
        }
    }

    private static string FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
