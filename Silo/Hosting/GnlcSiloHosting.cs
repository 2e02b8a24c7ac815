using Gnlc.Silo.Persistence.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gnlc.Silo.Hosting;

/// <summary>
/// The one way to host a GNLC silo: used by the Silo process and, in the embedded default, by the
/// Api process that co-hosts it. Modes differ only in provider registration.
/// </summary>
public static class GnlcSiloHosting
{
    private const string SqliteInvariant = "Microsoft.Data.Sqlite";
    private const string NpgsqlInvariant = "Npgsql";

    public static IHostApplicationBuilder AddGnlcSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var store = GnlcStoreOptions.From(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(TimeProvider.System);

        builder.UseOrleans(silo =>
        {
            switch (store.Kind)
            {
                case GnlcStoreKind.Embedded:
                    SqliteStoreSchema.EnsureCreated(store.ConnectionString);
                    silo.UseLocalhostClustering();
                    AddStores(silo, SqliteInvariant, store.ConnectionString);
                    break;
                case GnlcStoreKind.Postgres:
                    silo.UseAdoNetClustering(o =>
                    {
                        o.Invariant = NpgsqlInvariant;
                        o.ConnectionString = store.ConnectionString;
                    });
                    AddStores(silo, NpgsqlInvariant, store.ConnectionString);
                    break;
            }

            silo.AddMemoryStreams(ProviderNames.Events);
        });
        return builder;
    }

    private static void AddStores(ISiloBuilder silo, string invariant, string connectionString)
    {
        silo.AddAdoNetGrainStorage(ProviderNames.GrainStorage, o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(ProviderNames.PubSubStore, o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
        });
    }
}
