using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Gnlc.Silo.Persistence.Sqlite;

/// <summary>
/// Creates and migrates the embedded store (a SQLite file) for Orleans' ADO.NET grain storage and reminders:
/// the tables, and the query texts the providers read from <c>OrleansQuery</c> at start-up; and the event log
/// of the event feed (version 2).
/// </summary>
/// <remarks>
/// Safe on every start: each migration runs once and is recorded in <c>gnlc_schema_version</c>; the query texts
/// are upserted every time so that a new build's queries replace the old ones.
/// </remarks>
public static class SqliteStoreSchema
{
    /// <summary>Every schema change, in order. Append new versions; never edit an applied one.</summary>
    private static readonly Migration[] Migrations =
    [
        new(1, "OrleansQuery, grain state and reminder tables", """
            CREATE TABLE IF NOT EXISTS OrleansQuery (
                QueryKey  TEXT NOT NULL PRIMARY KEY,
                QueryText TEXT NOT NULL
            );

            -- One row per grain state. GrainTypeString is what the provider calls the grain type: the state name.
            -- Every key column is NOT NULL because SQLite lets NULLs repeat in a key; HasExtension keeps a missing
            -- key extension apart from an empty one.
            CREATE TABLE IF NOT EXISTS gnlc_grain_state (
                ServiceId              TEXT    NOT NULL,
                GrainTypeString        TEXT    NOT NULL,
                GrainIdN0              INTEGER NOT NULL,
                GrainIdN1              INTEGER NOT NULL,
                GrainIdExtensionString TEXT    NOT NULL,
                HasExtension           INTEGER NOT NULL,
                PayloadBinary          BLOB,
                Version                INTEGER NOT NULL,
                ModifiedOn             TEXT    NOT NULL,
                CONSTRAINT pk_gnlc_grain_state PRIMARY KEY
                    (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, HasExtension)
            );

            -- Period in milliseconds; GrainHash signed, as the reminder provider binds it.
            CREATE TABLE IF NOT EXISTS gnlc_reminder (
                ServiceId    TEXT    NOT NULL,
                GrainId      TEXT    NOT NULL,
                ReminderName TEXT    NOT NULL,
                StartTime    TEXT    NOT NULL,
                Period       INTEGER NOT NULL,
                GrainHash    INTEGER NOT NULL,
                Version      INTEGER NOT NULL,
                CONSTRAINT pk_gnlc_reminder PRIMARY KEY (ServiceId, GrainId, ReminderName)
            );

            -- Each silo loads the reminders of its hash range at start-up.
            CREATE INDEX IF NOT EXISTS ix_gnlc_reminder_hash ON gnlc_reminder (ServiceId, GrainHash);
            """),
        new(2, "Event log", """
            -- The durable event log, source of truth of the event feed (Silo/Events/SqliteEventLogStore.cs): every
            -- committed domain event once, at a global position. An append takes the write lock (BEGIN IMMEDIATE)
            -- and inserts MAX(position) + 1, so positions are dense and commit in position order; retention keeps
            -- the newest row, so a position is never handed out twice. Enums are stored by name; instants as
            -- fixed-width ISO-8601 UTC text (yyyy-MM-ddTHH:mm:ss.ffffffZ), which sorts as the instants do.
            CREATE TABLE IF NOT EXISTS gnlc_event_log (
                position    INTEGER NOT NULL PRIMARY KEY CHECK (position > 0),
                entity_kind TEXT    NOT NULL,
                entity_id   TEXT    NOT NULL,
                version     INTEGER NOT NULL,
                type        TEXT    NOT NULL,
                country     TEXT,
                city        TEXT,
                period      TEXT,
                status      TEXT    NOT NULL,
                occurred_at TEXT    NOT NULL,
                reason      TEXT,
                recorded_at TEXT    NOT NULL,
                -- An outbox delivers at least once: a re-delivery finds its row and gets the position it had.
                CONSTRAINT uq_gnlc_event_log_event UNIQUE (entity_kind, entity_id, version)
            );

            -- Retention deletes by age.
            CREATE INDEX IF NOT EXISTS ix_gnlc_event_log_recorded_at ON gnlc_event_log (recorded_at);
            """),
    ];

    /// <summary>The schema version this build writes and expects.</summary>
    public static int CurrentVersion => Migrations[^1].Version;

    /// <summary>Brings the file at <paramref name="connectionString"/> to <see cref="CurrentVersion"/>.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer build, or cannot use WAL.</exception>
    public static void EnsureCreated(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        using var connection = new SqliteConnection(connectionString);
        connection.Open();

        // WAL lets grain reads go on while one write commits. The mode is stored in the file, and the pragma
        // cannot run inside a transaction.
        var journalMode = Convert.ToString(Scalar(connection, null, "PRAGMA journal_mode=WAL;"), CultureInfo.InvariantCulture);
        if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"The embedded store could not switch to WAL (journal_mode is '{journalMode}'): keep the data directory on a local disk.");
        }

        // BEGIN IMMEDIATE takes the write lock up front, so two processes starting on one file cannot both
        // apply the same migration; the second waits (busy timeout) and then finds it applied.
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS gnlc_schema_version (
                Version     INTEGER NOT NULL PRIMARY KEY,
                Description TEXT    NOT NULL,
                AppliedOn   TEXT    NOT NULL
            );
            """);

        var applied = AppliedVersions(connection, transaction);
        // Running an older build on a newer file would overwrite the newer query texts with stale ones.
        if (applied.Count > 0 && applied.Max() > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The embedded store is at schema version {applied.Max()}, newer than this build's {CurrentVersion}.");
        }

        foreach (var migration in Migrations.Where(m => !applied.Contains(m.Version)))
        {
            Execute(connection, transaction, migration.Sql);
            Execute(connection, transaction, """
                INSERT INTO gnlc_schema_version (Version, Description, AppliedOn)
                VALUES (@Version, @Description, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
                """,
                ("@Version", migration.Version),
                ("@Description", migration.Description));
        }

        foreach (var (key, text) in SqliteStoreQueries.ByKey)
        {
            Execute(connection, transaction, """
                INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@QueryKey, @QueryText)
                ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
                """,
                ("@QueryKey", key),
                ("@QueryText", text));
        }

        transaction.Commit();
    }

    private static HashSet<int> AppliedVersions(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT Version FROM gnlc_schema_version;";
        using var reader = command.ExecuteReader();
        var versions = new HashSet<int>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private sealed record Migration(int Version, string Description, string Sql);
}
