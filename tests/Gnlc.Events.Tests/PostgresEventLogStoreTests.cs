using Gnlc.Events;
using Gnlc.Silo.Events;
using Gnlc.Silo.Hosting;
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

    [Fact]
    public async Task An_append_that_cannot_be_recorded_fails_alone_among_concurrent_appends()
    {
        var store = await CreateStoreAsync(TimeProvider.System);
        var occurred = new DateTimeOffset(2026, 5, 1, 9, 30, 0, TimeSpan.Zero);
        DomainEvent Event(string city) =>
            new(DomainEventType.CityRegistered, EntityKind.City, city, "ie", city, null, "Candidate", occurred, 1);

        // PostgreSQL text cannot hold a NUL character: that append fails, whatever the appends written with it.
        var appends = Enumerable.Range(0, 24)
            .Select(i => i == 12 ? Event("ie-bad\0city") : Event($"ie-good-{i}"))
            .Select(evt => Task.Run(() => store.AppendAsync([evt], Ct), Ct))
            .ToList();
        var bad = appends[12];
        await Assert.ThrowsAnyAsync<Exception>(() => bad);
        var good = await Task.WhenAll(appends.Where(t => t != bad));

        var log = await store.ReadAfterAsync(0, 100, Ct);
        Assert.Equal(23, log.Count);
        Assert.Equal(Enumerable.Range(1, 23).Select(p => (long)p), good.Select(p => Assert.Single(p)).Order());
        Assert.DoesNotContain(log, e => e.Event.EntityId.Contains("bad", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_append_refused_at_bind_time_leaves_its_connection_sound_for_the_appends_after_it()
    {
        // One connection: the second append is the statements' second run (where Npgsql's automatic preparation would
        // prepare them) and is refused as its values are bound; with automatic preparation on, the connection's prepared
        // statements were then out of step with the server and later commands on it failed (Npgsql 10.0.3).
        var connectionString = new NpgsqlConnectionStringBuilder(
            GnlcStoreOptions.WithConnectionSettings(await server.CreateDatabaseAsync("event_log_bind")))
        {
            MaxPoolSize = 1,
        }.ConnectionString;
        var dataSource = NpgsqlDataSource.Create(connectionString);
        _dataSources.Add(dataSource);
        await new PostgresMigrator(dataSource, NullLogger<PostgresMigrator>.Instance).MigrateAsync(Ct);
        var store = new PostgresEventLogStore(dataSource, TimeProvider.System);
        var occurred = new DateTimeOffset(2026, 5, 1, 9, 30, 0, TimeSpan.Zero);
        DomainEvent Event(string city, string? reason = null) =>
            new(DomainEventType.CityRegistered, EntityKind.City, city, "ie", city, null, "Candidate", occurred, 1, reason);

        var first = await store.AppendAsync([Event("ie-first")], Ct);
        await Assert.ThrowsAsync<PostgresException>(() => store.AppendAsync([Event("ie-refused", "a reason with a NUL \0")], Ct));
        var next = await store.AppendAsync([Event("ie-second"), Event("ie-third")], Ct);
        var log = await store.ReadAfterAsync(0, 10, Ct);

        Assert.Equal([1L, 2L, 3L], [.. first, .. next]);
        Assert.Equal(["ie-first", "ie-second", "ie-third"], log.Select(e => e.Event.EntityId));
    }

    protected override async Task<IEventLogStore> CreateStoreAsync(TimeProvider time)
    {
        var dataSource = NpgsqlDataSource.Create(GnlcStoreOptions.WithConnectionSettings(await server.CreateDatabaseAsync("event_log")));
        _dataSources.Add(dataSource);
        await new PostgresMigrator(dataSource, NullLogger<PostgresMigrator>.Instance).MigrateAsync(Ct);
        return new PostgresEventLogStore(dataSource, time);
    }
}
