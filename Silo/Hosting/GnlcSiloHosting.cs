using Gnlc.Errors;
using Gnlc.Hosting;
using Gnlc.Silo.Events;
using Gnlc.Silo.Persistence;
using Gnlc.Silo.Persistence.Postgres;
using Gnlc.Silo.Persistence.Sqlite;
using Gnlc.Silo.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Gnlc.Silo.Hosting;

/// <summary>
/// The one way to host a GNLC silo: used by the Silo process and, in the embedded default, by the
/// Api process that co-hosts it. Modes differ only in provider registration.
/// </summary>
public static class GnlcSiloHosting
{
    // Orleans 10.4.2 knows SQLite only under this name, and loads Microsoft.Data.Sqlite's factory for it;
    // "Microsoft.Data.Sqlite" fails at start-up with KeyNotFoundException.
    private const string SqliteInvariant = "System.Data.SQLite";
    private const string NpgsqlInvariant = "Npgsql";

    /// <param name="coHostedApi">
    /// True when the caller serves the HTTP API from this process (the Api's embedded default): with the embedded store
    /// (one silo) the city GET then reads the grains' committed views from this silo's registry, without a grain call.
    /// </param>
    public static IHostApplicationBuilder AddGnlcSilo(this IHostApplicationBuilder builder, bool coHostedApi = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var store = GnlcStoreOptions.From(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddStoreExceptionSerialization();

        builder.UseOrleans(silo =>
        {
            switch (store.Kind)
            {
                case GnlcStoreKind.Embedded:
                    SqliteStoreSchema.EnsureCreated(store.ConnectionString);
                    // Ports come from the Orleans section so that several embedded hosts (tests) can run side by side.
                    silo.UseLocalhostClustering(
                        builder.Configuration.GetValue("Orleans:Endpoints:SiloPort", EndpointOptions.DEFAULT_SILO_PORT),
                        builder.Configuration.GetValue("Orleans:Endpoints:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT));
                    AddStores(silo, SqliteInvariant, store.ConnectionString, postgresGrainStorage: false);
                    if (coHostedApi)
                    {
                        silo.AddGnlcCoHostedCityViews();
                    }

                    break;
                case GnlcStoreKind.Postgres:
                    // Schema and query texts first: the migrator runs in the silo's first lifecycle stage, before
                    // the providers below read their queries from OrleansQuery.
                    silo.Services.AddGnlcPostgresSiloMigration(store.ConnectionString);
                    silo.UseAdoNetClustering(o =>
                    {
                        o.Invariant = NpgsqlInvariant;
                        o.ConnectionString = store.ConnectionString;
                    });
                    AddStores(silo, NpgsqlInvariant, store.ConnectionString, postgresGrainStorage: true);
                    break;
            }

            // The event log and its stream publication (before AddGnlcDomain, which only adds a default sink).
            silo.AddGnlcEventFeed(store);
            // The test clock (API.md "Test clock") exists only in Development; elsewhere time is system time.
            silo.AddGnlcDomain(testClock: builder.Environment.IsDevelopment());
            // Pulling agents poll their queue every 100 ms by default, which dominated the feed's latency; 20 ms
            // keeps p99 near 50 ms for a negligible cost (a timer tick per queue).
            silo.AddMemoryStreams(ProviderNames.Events, streams => streams.ConfigurePullingAgent(agent => agent.Configure(
                options => options.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(20))));
            // Grain calls carry Activity.Current (traces span HTTP request -> grain -> grain) when traces are recorded;
            // otherwise its call filters ran on every grain call for nothing.
            if (GnlcServiceDefaults.TracingEnabled(builder.Configuration))
            {
                silo.AddActivityPropagation();
            }
            silo.AddGnlcDashboard(builder.Configuration);
            // Domain counters: the sink registered above (the event log, or the default) is wrapped, once.
            builder.Services.TryAddSingleton<GnlcMetrics>();
            MeteredDomainEventSink.Decorate(silo.Services);
        });
        Demo.DemoData.AddGnlcDemoData(builder, store);
        return builder;
    }

    private static void AddStores(ISiloBuilder silo, string invariant, string connectionString, bool postgresGrainStorage)
    {
        // State is stored in Orleans' own binary format: versioned by [Id]/[Alias] (a renamed type still reads)
        // and far cheaper than the default Newtonsoft JSON with CLR type names.
        foreach (var name in new[] { ProviderNames.GrainStorage, ProviderNames.PubSubStore })
        {
            silo.Services.AddOptions<AdoNetGrainStorageOptions>(name)
                .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        }

        if (postgresGrainStorage)
        {
            // Every grain's state: one prepared statement per read and per write on the shared data source, on the very
            // rows the ADO.NET provider below wrote before (PostgresGrainStorage). It was the largest share of the
            // Silo's CPU per write.
            silo.Services.AddKeyedSingleton<IGrainStorage>(ProviderNames.GrainStorage, (services, _) => new PostgresGrainStorage(
                services.GetRequiredService<NpgsqlDataSource>(),
                services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()),
                services.GetRequiredService<IActivatorProvider>()));
        }
        else
        {
            // Exact keys: the stock provider folds look-alike keys and grain classes into one row (ExactKeyGrainStorage).
            silo.AddExactKeyAdoNetGrainStorage(ProviderNames.GrainStorage, o =>
            {
                o.Invariant = invariant;
                o.ConnectionString = connectionString;
            });
        }

        silo.AddExactKeyAdoNetGrainStorage(ProviderNames.PubSubStore, o =>
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
