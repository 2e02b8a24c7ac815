using Gnlc.Errors;
using Gnlc.Silo.Hosting;
using Gnlc.Silo.Telemetry;

namespace Gnlc.Api.Hosting;

/// <summary>How the HTTP front end reaches the grains: a co-hosted silo, or a client of a PostgreSQL cluster.</summary>
public static class ClusterConnection
{
    public static WebApplicationBuilder AddGnlcCluster(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var store = GnlcStoreOptions.From(builder.Configuration, builder.Environment.ContentRootPath);
        if (store.Kind == GnlcStoreKind.Embedded)
        {
            // The embedded default: one process, the silo provides IClusterClient itself (and the city views it hosts).
            builder.AddGnlcSilo(coHostedApi: true);
            return builder;
        }

        builder.Services.AddStoreExceptionSerialization();
        builder.UseOrleansClient(client =>
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = store.ConnectionString;
            });
            client.AddMemoryStreams(ProviderNames.Events);
            // Grain calls carry Activity.Current only when traces are recorded: otherwise the call filters cost every call for nothing.
            if (GnlcServiceDefaults.TracingEnabled(builder.Configuration))
            {
                client.AddActivityPropagation();
            }
        });
        return builder;
    }
}
