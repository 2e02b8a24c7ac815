using Gnlc.Events;
using Microsoft.Data.Sqlite;

namespace Gnlc.Silo.Events;

/// <summary>
/// The event log in the embedded store's SQLite file (table <c>gnlc_event_log</c>, schema version 2 of
/// <see cref="Persistence.Sqlite.SqliteStoreSchema"/>).
/// </summary>
/// <remarks>
/// SQLite has one writer at a time: every append runs in a <c>BEGIN IMMEDIATE</c> transaction that takes the write
/// lock before it reads the head, so positions are handed out (newest + 1) and committed in position order, and no
/// reader can ever see position N before N-1. The file's WAL lets reads go on during an append.
/// </remarks>
public sealed class SqliteEventLogStore(string connectionString, TimeProvider time) : IEventLogStore
{
    private const string SelectExisting = """
        SELECT position FROM gnlc_event_log
        WHERE entity_kind = @entity_kind AND entity_id = @entity_id AND version = @version;
        """;

    // The position is the head + 1, under the write lock: dense, and never reused because retention keeps the newest row.
    private const string Insert = """
        INSERT INTO gnlc_event_log
            (position, entity_kind, entity_id, version, type, country, city, period, status, occurred_at, reason, recorded_at)
        VALUES
            ((SELECT IFNULL(MAX(position), 0) + 1 FROM gnlc_event_log),
             @entity_kind, @entity_id, @version, @type, @country, @city, @period, @status, @occurred_at, @reason, @recorded_at)
        RETURNING position;
        """;

    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        cancellationToken.ThrowIfCancellationRequested();
        if (events.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<long>>([]);
        }

        using var connection = Open();
        // deferred: false is BEGIN IMMEDIATE: the write lock first, then the head is read.
        using var transaction = connection.BeginTransaction(deferred: false);
        var recordedAt = EventLogRows.SqliteInstant(time.GetUtcNow());
        var positions = new long[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var evt = EventLogRows.Normalize(events[i]);
            using var existing = Command(connection, transaction, SelectExisting);
            AddKey(existing, evt);
            if (existing.ExecuteScalar() is long known)
            {
                positions[i] = known;
                continue;
            }

            using var insert = Command(connection, transaction, Insert);
            AddKey(insert, evt);
            insert.Parameters.AddWithValue("@type", evt.Type.ToString());
            insert.Parameters.AddWithValue("@country", (object?)evt.Country ?? DBNull.Value);
            insert.Parameters.AddWithValue("@city", (object?)evt.City ?? DBNull.Value);
            insert.Parameters.AddWithValue("@period", (object?)evt.Period ?? DBNull.Value);
            insert.Parameters.AddWithValue("@status", evt.Status);
            insert.Parameters.AddWithValue("@occurred_at", EventLogRows.SqliteInstant(evt.OccurredAt));
            insert.Parameters.AddWithValue("@reason", (object?)evt.Reason ?? DBNull.Value);
            insert.Parameters.AddWithValue("@recorded_at", recordedAt);
            positions[i] = (long)insert.ExecuteScalar()!;
        }

        transaction.Commit();
        return Task.FromResult<IReadOnlyList<long>>(positions);
    }

    public Task<IReadOnlyList<FeedEvent>> ReadAfterAsync(long position, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var command = Command(connection, null, $"""
            SELECT {EventLogRows.Columns} FROM gnlc_event_log
            WHERE position > @position ORDER BY position LIMIT @max;
            """);
        command.Parameters.AddWithValue("@position", position);
        command.Parameters.AddWithValue("@max", max);
        using var reader = command.ExecuteReader();
        var events = new List<FeedEvent>();
        while (reader.Read())
        {
            events.Add(EventLogRows.Read(reader, static (r, i) => EventLogRows.ParseSqliteInstant(r.GetString(i))));
        }

        return Task.FromResult<IReadOnlyList<FeedEvent>>(events);
    }

    public Task<long> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var command = Command(connection, null, "SELECT IFNULL(MAX(position), 0) FROM gnlc_event_log;");
        return Task.FromResult((long)command.ExecuteScalar()!);
    }

    public Task<int> DeleteRecordedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var command = Command(connection, null, """
            DELETE FROM gnlc_event_log
            WHERE recorded_at < @cutoff
              AND position < (SELECT MAX(position) FROM gnlc_event_log);
            """);
        command.Parameters.AddWithValue("@cutoff", EventLogRows.SqliteInstant(cutoff));
        return Task.FromResult(command.ExecuteNonQuery());
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var durability = Command(connection, null, Persistence.Sqlite.SqliteStoreQueries.Durability);
        durability.ExecuteNonQuery();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void AddKey(SqliteCommand command, DomainEvent evt)
    {
        command.Parameters.AddWithValue("@entity_kind", evt.Entity.ToString());
        command.Parameters.AddWithValue("@entity_id", evt.EntityId);
        command.Parameters.AddWithValue("@version", evt.Version);
    }
}
