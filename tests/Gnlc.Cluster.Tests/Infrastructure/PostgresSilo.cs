using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gnlc.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Gnlc.Cluster.Tests.Infrastructure;

/// <summary>The database and the Orleans cluster/service ids that silos and clients of one test share.</summary>
public sealed record ClusterIdentity(string ConnectionString, string ClusterId, string ServiceId)
{
    /// <summary>Fresh ids, so that tests sharing a database never see each other's rows.</summary>
    public static ClusterIdentity New(string connectionString) =>
        new(connectionString, "cluster-" + Guid.NewGuid().ToString("N")[..12], "service-" + Guid.NewGuid().ToString("N")[..12]);
}

/// <summary>
/// One silo hosted exactly as the Silo process hosts it (<see cref="GnlcSiloHosting.AddGnlcSilo"/> in PostgreSQL mode:
/// migrations, ADO.NET clustering, storage and reminders), on loopback ports of its own, in this process.
/// </summary>
public sealed class PostgresSilo : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private readonly IHost _host;
    private bool _stopped;

    private PostgresSilo(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public SiloAddress Address => Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public static async Task<PostgresSilo> StartAsync(ClusterIdentity cluster, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var host = Build(cluster);
            try
            {
                await host.StartAsync(cancellationToken);
                return new PostgresSilo(host);
            }
            catch (Exception ex) when (attempt < StartAttempts && IsPortClash(ex))
            {
                // Another process took a port between picking and binding it: pick again.
                host.Dispose();
            }
            catch
            {
                host.Dispose();
                throw;
            }
        }
    }

    /// <summary>Shuts down gracefully, as a process asked to stop would (leaves the cluster, marked Dead).</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Stops without a graceful hand-over, as Orleans' TestCluster.KillSiloAsync does in process: no waiting for
    /// requests or grain deactivation, state writes not yet acknowledged are lost. (A real process kill is covered
    /// by the manual two-process check.)
    /// </summary>
    public async Task KillAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync(new CancellationToken(canceled: true));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }

    private static IHost Build(ClusterIdentity cluster)
    {
        // DisableDefaults: no appsettings or environment variables of the machine leak into the test.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:" + GnlcStoreOptions.ConnectionStringName] = cluster.ConnectionString,
            ["Orleans:ClusterId"] = cluster.ClusterId,
            ["Orleans:ServiceId"] = cluster.ServiceId,
            ["Orleans:Endpoints:SiloPort"] = FreePort(),
            ["Orleans:Endpoints:GatewayPort"] = FreePort(),
        });
        builder.AddGnlcSilo();

        // Loopback, not the machine's first interface address: the membership table is what other silos dial.
        builder.Services.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
        builder.Services.Configure<ClusterMembershipOptions>(o =>
        {
            // Heartbeats and table reads every second, so tests observe them without long waits.
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(1);
            o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
        });
        // A call to a silo that just died fails after seconds, not the default 30, so polling retries sooner.
        builder.Services.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        return builder.Build();
    }

    internal static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }

    private static bool IsPortClash(Exception ex) =>
        ex is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
        || (ex.InnerException is not null && IsPortClash(ex.InnerException))
        || (ex is AggregateException aggregate && aggregate.InnerExceptions.Any(IsPortClash));
}
