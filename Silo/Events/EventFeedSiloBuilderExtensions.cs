using Gnlc.Infrastructure;
using Gnlc.Silo.Hosting;
using Gnlc.Silo.Persistence.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Gnlc.Silo.Events;

/// <summary>Registers the event feed's silo side: the durable event log, the sink that feeds it, its retention.</summary>
public static class EventFeedSiloBuilderExtensions
{
    /// <summary>
    /// Makes <see cref="EventLogStreamSink"/> the domain's <see cref="IDomainEventSink"/>. Call it before
    /// <c>AddGnlcDomain</c>, which only adds its logging sink when none is registered. The log lives in the store of
    /// <paramref name="store"/>: the embedded SQLite file, or PostgreSQL through the one shared
    /// <see cref="NpgsqlDataSource"/> (its schema comes with the PostgreSQL migrations).
    /// </summary>
    public static ISiloBuilder AddGnlcEventFeed(this ISiloBuilder silo, GnlcStoreOptions store)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(store);
        var services = silo.Services;
        switch (store.Kind)
        {
            case GnlcStoreKind.Embedded:
                // The schema (version 2) is created with the rest of the embedded store, before the silo starts.
                services.TryAddSingleton<IEventLogStore>(sp => new SqliteEventLogStore(store.ConnectionString, TimeProviderOf(sp)));
                break;
            case GnlcStoreKind.Postgres:
                services.AddGnlcPostgres(store.ConnectionString);
                services.TryAddSingleton<IEventLogStore>(sp =>
                    new PostgresEventLogStore(sp.GetRequiredService<NpgsqlDataSource>(), TimeProviderOf(sp)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store.Kind, "Unknown store kind.");
        }

        services.AddOptions<EventLogOptions>().BindConfiguration(EventLogOptions.SectionName);
        services.AddSingleton<IDomainEventSink, EventLogStreamSink>();
        services.AddSingleton<EventLogRetention>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<EventLogRetention>());
        return silo;
    }

    private static TimeProvider TimeProviderOf(IServiceProvider services) => services.GetService<TimeProvider>() ?? TimeProvider.System;
}
