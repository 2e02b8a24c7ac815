using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gnlc.Silo.Persistence.Postgres;

/// <summary>
/// Brings a PostgreSQL database to this build's schema: applies the embedded migrations in version order, each in
/// its own transaction together with its row in <c>gnlc_schema_version</c>.
/// </summary>
/// <remarks>
/// Safe when several silos start at once: every migration runs under a transaction-scoped advisory lock and checks
/// again, under the lock, whether another process applied it meanwhile. The lock is released by commit or rollback,
/// so a crashed migrator never leaves it held. A database that is already current is checked without the lock.
/// </remarks>
public sealed partial class PostgresMigrator(NpgsqlDataSource dataSource, ILogger<PostgresMigrator> logger)
{
    /// <summary>Advisory lock key ("gnlc_mig" in ASCII). Advisory locks are per database, so only migrators of
    /// the same database wait for each other.</summary>
    public const long AdvisoryLockKey = 0x676E_6C63_5F6D_6967;

    private const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS gnlc_schema_version (
          version    integer     PRIMARY KEY,
          name       text        NOT NULL,
          checksum   text        NOT NULL,
          applied_on timestamptz NOT NULL DEFAULT now()
        )
        """;

    /// <summary>The migrations this build carries, in order.</summary>
    public static IReadOnlyList<PostgresMigration> Migrations { get; } = PostgresMigration.LoadEmbedded();

    /// <summary>Applies every migration the database lacks.</summary>
    /// <returns>The versions this call applied (empty when the database was current or another process did it).</returns>
    /// <exception cref="InvalidOperationException">An applied migration differs from the file in this build.</exception>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        var recorded = await ReadRecordedAsync(connection, null, cancellationToken);
        VerifyRecorded(recorded);
        var applied = new List<int>();
        foreach (var migration in Migrations.Where(m => !recorded.ContainsKey(m.Version)))
        {
            if (await ApplyAsync(connection, migration, cancellationToken))
            {
                applied.Add(migration.Version);
            }
        }

        if (applied.Count > 0)
        {
            LogMigrated(logger, applied, Migrations[^1].Version);
        }
        else
        {
            LogCurrent(logger, Migrations.Count == 0 ? 0 : Migrations[^1].Version);
        }

        return applied;
    }

    /// <summary>Applies one migration unless, once the lock is held, it turns out to be applied already.</summary>
    private async Task<bool> ApplyAsync(NpgsqlConnection connection, PostgresMigration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // No client-side timeout while waiting: another silo may be in the middle of a long migration, and this
        // one cannot start without it. Host shutdown (the token) ends the wait.
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        // Created under the lock: concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog.
        await ExecuteAsync(connection, transaction, CreateVersionTable, cancellationToken);

        var recorded = await ReadRecordedAsync(connection, transaction, cancellationToken);
        if (recorded.ContainsKey(migration.Version))
        {
            VerifyRecorded(recorded);
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        LogApplying(logger, migration.Name);
        await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
        await using (var record = new NpgsqlCommand(
            "INSERT INTO gnlc_schema_version (version, name, checksum) VALUES (@version, @name, @checksum)", connection, transaction))
        {
            record.Parameters.AddWithValue("version", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            record.Parameters.AddWithValue("checksum", migration.Checksum);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<Dictionary<int, string>> ReadRecordedAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var recorded = new Dictionary<int, string>();
        // to_regclass avoids an error (and an aborted transaction) on a database that has never been migrated.
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('gnlc_schema_version') IS NOT NULL", connection, transaction))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return recorded;
            }
        }

        await using var command = new NpgsqlCommand("SELECT version, checksum FROM gnlc_schema_version", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recorded.Add(reader.GetInt32(0), reader.GetString(1));
        }

        return recorded;
    }

    private void VerifyRecorded(Dictionary<int, string> recorded)
    {
        foreach (var migration in Migrations)
        {
            if (recorded.TryGetValue(migration.Version, out var checksum) && checksum != migration.Checksum)
            {
                // Editing an applied migration would leave databases that ran the old text silently different.
                throw new InvalidOperationException(
                    $"Migration {migration.Name} was applied with different content (checksum {checksum}, this build {migration.Checksum}). " +
                    "Applied migrations must never change; add a new migration instead.");
            }
        }

        var newest = Migrations.Count == 0 ? 0 : Migrations[^1].Version;
        var unknown = recorded.Keys.Where(version => version > newest).Order().ToList();
        if (unknown.Count > 0)
        {
            // A rolling upgrade or a rollback runs an older build against a newer schema; migrations are written to
            // stay compatible with the previous build, so this is worth a warning, not a refusal to start.
            LogNewerSchema(logger, unknown, newest);
        }
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying PostgreSQL migration {Migration}.")]
    private static partial void LogApplying(ILogger logger, string migration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied PostgreSQL migrations {Versions}; the schema is at version {Version}.")]
    private static partial void LogMigrated(ILogger logger, IEnumerable<int> versions, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL schema is current at version {Version}.")]
    private static partial void LogCurrent(ILogger logger, int version);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "PostgreSQL schema has migrations {Versions} that this build (newest {Version}) does not know; continuing.")]
    private static partial void LogNewerSchema(ILogger logger, IEnumerable<int> versions, int version);
}
