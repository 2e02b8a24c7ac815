using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Gnlc.Silo.Persistence.Postgres;

/// <summary>Registers the PostgreSQL store's own services: one shared data source and the migrator.</summary>
public static class PostgresStoreServices
{
    /// <summary>
    /// Adds a singleton <see cref="NpgsqlDataSource"/> for <paramref name="connectionString"/> (the one our own code
    /// uses; Orleans' ADO.NET providers open their own connections from the same connection string) and the
    /// <see cref="PostgresMigrator"/>.
    /// </summary>
    public static IServiceCollection AddGnlcPostgres(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // No Npgsql logger factory: it logs every command text at Information (a whole migration script included);
        // failures reach our callers as exceptions, which they log.
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.TryAddSingleton<PostgresMigrator>();
        return services;
    }

    /// <summary>
    /// Also migrates the database when the silo starts, in the first lifecycle stage: before membership, storage and
    /// reminders read their queries from <c>OrleansQuery</c>.
    /// </summary>
    public static IServiceCollection AddGnlcPostgresSiloMigration(this IServiceCollection services, string connectionString)
    {
        services.AddGnlcPostgres(connectionString);
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PostgresMigrationLifecycleParticipant>();
        return services;
    }
}

/// <summary>Runs <see cref="PostgresMigrator"/> before any other silo start-up step.</summary>
internal sealed class PostgresMigrationLifecycleParticipant(PostgresMigrator migrator) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresMigrator), ServiceLifecycleStage.First, async cancellationToken => await migrator.MigrateAsync(cancellationToken));
}
