using Gnlc.Silo.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gnlc.Cluster.Tests.Infrastructure;

/// <summary>The Api process as an Orleans client of a PostgreSQL cluster, on real Kestrel.</summary>
public sealed class ClusterApiFactory : WebApplicationFactory<Program>
{
    private readonly ClusterIdentity _cluster;

    public ClusterApiFactory(ClusterIdentity cluster)
    {
        _cluster = cluster;
        UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development: the development signing key and token route are what the tests sign in with.
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:" + GnlcStoreOptions.ConnectionStringName, _cluster.ConnectionString);
        builder.UseSetting("Orleans:ClusterId", _cluster.ClusterId);
        builder.UseSetting("Orleans:ServiceId", _cluster.ServiceId);
        builder.UseSetting("RateLimiting:PermitLimit", "1000000");
    }
}
