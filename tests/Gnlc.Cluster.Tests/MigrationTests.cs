using Gnlc.Cluster.Tests.Infrastructure;
using Gnlc.Silo.Hosting;
using Gnlc.Silo.Persistence.Postgres;
using Gnlc.Testing;

namespace Gnlc.Cluster.Tests;

/// <summary>The migrator on fresh databases: idempotent, safe under concurrency, and complete for the providers.</summary>
public sealed class MigrationTests(PostgresServer server)
{
    /// <summary>Every query the 10.4.2 clustering, storage and reminder providers read (clustering refuses to start
    /// without each of its keys; storage without its three, DeleteStorageKey being optional).</summary>
    private static readonly string[] ProviderQueryKeys =
    [
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey",
        "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
        "ClearStorageKey", "DeleteStorageKey", "ReadFromStorageKey", "WriteToStorageKey",
        "DeleteReminderRowKey", "DeleteReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey",
        "ReadReminderRowsKey", "UpsertReminderRowKey",
    ];

    private static int[] AllVersions => [.. PostgresMigrator.Migrations.Select(m => m.Version)];

    [Fact]
    public async Task Migrating_twice_applies_each_migration_once_and_records_it_once()
    {
        var database = await server.CreateDatabaseAsync(nameof(Migrating_twice_applies_each_migration_once_and_records_it_once));

        var first = await Migrations.ApplyAsync(database);
        var second = await Migrations.ApplyAsync(database);

        Assert.Equal(AllVersions, first);
        Assert.Empty(second);
        Assert.Equal(AllVersions, await RecordedVersionsAsync(database));
    }

    [Fact]
    public async Task Four_concurrent_migrators_on_a_fresh_database_apply_each_migration_exactly_once()
    {
        var database = await server.CreateDatabaseAsync(nameof(Four_concurrent_migrators_on_a_fresh_database_apply_each_migration_exactly_once));

        // Four processes' worth of migrators: separate data sources, so separate connections and sessions.
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Migrations.ApplyAsync(database))));

        // Between them, each version was applied by exactly one migrator; the others found it done under the lock.
        Assert.Equal(AllVersions, results.SelectMany(applied => applied).Order());
        Assert.Equal(AllVersions, await RecordedVersionsAsync(database));
        Assert.Empty(ProviderQueryKeys.Except(await QueryKeysAsync(database)));
    }

    [Fact]
    public async Task Every_query_key_the_providers_read_is_installed()
    {
        var database = await server.CreateDatabaseAsync(nameof(Every_query_key_the_providers_read_is_installed));

        await Migrations.ApplyAsync(database);

        // Later migrations may add keys of other providers (e.g. streaming); none of these may go missing.
        Assert.Empty(ProviderQueryKeys.Except(await QueryKeysAsync(database)));
    }

    [Fact]
    public async Task An_applied_migration_whose_text_changed_stops_the_migrator()
    {
        var database = await server.CreateDatabaseAsync(nameof(An_applied_migration_whose_text_changed_stops_the_migrator));
        await Migrations.ApplyAsync(database);
        await Sql.ExecuteAsync(database, "UPDATE gnlc_schema_version SET checksum = 'edited' WHERE version = 1");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrations.ApplyAsync(database));

        Assert.Contains("0001_orleans.sql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_migrate_command_applies_the_migrations_and_exits_0()
    {
        var database = await server.CreateDatabaseAsync(nameof(Silo_migrate_command_applies_the_migrations_and_exits_0));

        // The Silo program's real entry point, as `dotnet run --project Silo -- migrate` calls it.
        var exitCode = await RunSiloAsync("migrate", $"--ConnectionStrings:{GnlcStoreOptions.ConnectionStringName}={database}");
        var again = await RunSiloAsync("migrate", $"--ConnectionStrings:{GnlcStoreOptions.ConnectionStringName}={database}");

        Assert.Equal(0, exitCode);
        Assert.Equal(0, again);
        Assert.Equal(AllVersions, await RecordedVersionsAsync(database));
    }

    [Fact]
    public async Task Silo_migrate_command_exits_1_when_the_database_cannot_be_migrated()
    {
        var database = await server.CreateDatabaseAsync(nameof(Silo_migrate_command_exits_1_when_the_database_cannot_be_migrated));
        await Migrations.ApplyAsync(database);
        await Sql.ExecuteAsync(database, "UPDATE gnlc_schema_version SET checksum = 'edited' WHERE version = 1");

        var exitCode = await RunSiloAsync("migrate", $"--ConnectionStrings:{GnlcStoreOptions.ConnectionStringName}={database}");

        Assert.Equal(PostgresMigrateCommand.Failed, exitCode);
    }

    private static async Task<int> RunSiloAsync(params string[] args)
    {
        var entryPoint = typeof(GnlcSiloHosting).Assembly.EntryPoint
            ?? throw new InvalidOperationException("The Silo assembly has no entry point.");
        // The entry point of an async Main is the compiler's synchronous wrapper: run it off the test's thread.
        return await Task.Run(() => (int)entryPoint.Invoke(null, [args])!);
    }

    private static async Task<int[]> RecordedVersionsAsync(string database)
    {
        var rows = await Sql.RowsAsync(database, "SELECT version FROM gnlc_schema_version ORDER BY version");
        return [.. rows.Select(row => (int)row["version"]!)];
    }

    private static async Task<string[]> QueryKeysAsync(string database)
    {
        var rows = await Sql.RowsAsync(database, "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey COLLATE \"C\"");
        return [.. rows.Select(row => (string)row["querykey"]!)];
    }
}
