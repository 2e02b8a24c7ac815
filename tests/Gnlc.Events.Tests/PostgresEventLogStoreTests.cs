using Gnlc.Silo.Events;
using Gnlc.Silo.Persistence.Postgres;
using Gnlc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gnlc.Events.Tests;

/// <summary>The event log in PostgreSQL: a fresh database per test, migrated by the silo's own migrator.</summary>
public sealed class PostgresEventLogStoreTests(PostgresServer server) : EventLogStoreContract, IAsyncDisposable
{
    private readonly List<NpgsqlDataSource> _dataSources = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_event_log_migration_is_applied_once()
    {
        var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync("event_log_migration"));
        _dataSources.Add(dataSource);
        var migrator = new PostgresMigrator(dataSource, NullLogger<PostgresMigrator>.Instance);

        Assert.Contains(2, await migrator.MigrateAsync(Ct));
        Assert.Empty(await migrator.MigrateAsync(Ct));
        await using var command = dataSource.CreateCommand("SELECT name FROM gnlc_schema_version WHERE version = 2");
        Assert.Equal("0002_event_log.sql", await command.ExecuteScalarAsync(Ct));
    }

    protected override async Task<IEventLogStore> CreateStoreAsync(TimeProvider time)
    {
        var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync("event_log"));
        _dataSources.Add(dataSource);
        await new PostgresMigrator(dataSource, NullLogger<PostgresMigrator>.Instance).MigrateAsync(Ct);
        return new PostgresEventLogStore(dataSource, time);
    }
}
