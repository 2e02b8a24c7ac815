using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gnlc.Silo.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Gnlc.Events.Tests;

/// <summary>The database and the Orleans ids one clustered test shares between its silos and its Api.</summary>
public sealed record ClusterIds(string ConnectionString, string ClusterId, string ServiceId)
{
    public static ClusterIds New(string connectionString) =>
        new(connectionString, "feed-" + Guid.NewGuid().ToString("N")[..12], "feed-" + Guid.NewGuid().ToString("N")[..12]);

    public static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>One silo hosted as the Silo process hosts it (PostgreSQL mode), in this process.</summary>
public sealed class PostgresSiloHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private PostgresSiloHost(IHost host) => _host = host;

    public static async Task<PostgresSiloHost> StartAsync(ClusterIds ids, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:" + GnlcStoreOptions.ConnectionStringName] = ids.ConnectionString,
            ["Orleans:ClusterId"] = ids.ClusterId,
            ["Orleans:ServiceId"] = ids.ServiceId,
            ["Orleans:Endpoints:SiloPort"] = ClusterIds.FreePort(),
            ["Orleans:Endpoints:GatewayPort"] = ClusterIds.FreePort(),
        });
        builder.AddGnlcSilo();
        builder.Services.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
        builder.Services.Configure<ClusterMembershipOptions>(o =>
        {
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(1);
            o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new PostgresSiloHost(host);
    }

    /// <summary>Stops gracefully: the silo leaves the cluster (marked dead), as a process asked to stop does.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Stops abruptly, as a crash: the shutdown is cancelled from the start, so activations are not deactivated and
    /// the silo does not leave the cluster gracefully (the others find it dead by probing).
    /// </summary>
    public async Task KillAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();
            try
            {
                await _host.StopAsync(cancelled.Token);
            }
            catch (OperationCanceledException)
            {
                // An abandoned shutdown is what a kill is.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}

/// <summary>The Api in clustered mode (an Orleans client over ADO.NET clustering) on real Kestrel.</summary>
public sealed class ClusteredApiFactory(ClusterIds ids, IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public Uri Start()
    {
        UseKestrel(0);
        StartServer();
        using var client = CreateClient();
        return client.BaseAddress!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:" + GnlcStoreOptions.ConnectionStringName, ids.ConnectionString);
        builder.UseSetting("Orleans:ClusterId", ids.ClusterId);
        builder.UseSetting("Orleans:ServiceId", ids.ServiceId);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        // The client learns of a new silo's gateway within a second, not the default minute.
        builder.ConfigureServices(services => services.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1)));
    }
}
