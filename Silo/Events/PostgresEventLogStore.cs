using System.Data;
using Gnlc.Events;
using Gnlc.Silo.Persistence.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Gnlc.Silo.Events;

/// <summary>The event log in PostgreSQL (table <c>gnlc_event_log</c>, migration <c>0002_event_log.sql</c>).</summary>
/// <remarks>
/// <para>
/// Why appends take a lock: a sequence hands out numbers when transactions start inserting, not when they commit. With
/// two concurrent appends, the one that drew 7 may commit after the one that drew 8; a reader that saw 8 and moved its
/// cursor past it would never see 7. Every append therefore takes one transaction-scoped advisory lock
/// (<c>pg_advisory_xact_lock</c>) before it reads the head, and keeps it until its commit: appends run one after
/// another, each position is the previous head + 1 (dense: no holes for a reader to wait on), and commit order is
/// position order. PostgreSQL makes a transaction visible before it releases its locks, so when the next append
/// reads the head, the previous one is already visible to everyone; a reader that has seen position N can never
/// later find a committed N-1.
/// </para>
/// <para>
/// Appends are therefore serialised cluster-wide, and each costs a commit (a WAL flush). To keep that from capping the
/// write path, the appends that callers on this silo make while one is in flight are queued and written together:
/// one transaction (one round trip: the lock, every event's statement and the commit travel as one batch, which
/// PostgreSQL runs as one implicit transaction) for all of them. Each caller still gets all or nothing: a batch that
/// fails is retried call by call, so one bad call cannot fail the others.
/// </para>
/// </remarks>
public sealed class PostgresEventLogStore(NpgsqlDataSource dataSource, TimeProvider time) : IEventLogStore
{
    /// <summary>Advisory lock key of appends ("gnlc_evl" in ASCII); distinct from the migrator's.</summary>
    public const long AppendLockKey = 0x676E_6C63_5F65_766C;

    // One statement per event, so each sees the rows the earlier ones inserted. The lookup makes a re-delivery return
    // the position recorded before; under the lock nothing can insert the same key meanwhile (the unique constraint
    // still backs it). In READ COMMITTED each statement takes a fresh snapshot after the lock was granted.
    private const string AppendOne = """
        WITH existing AS (
          SELECT position FROM gnlc_event_log WHERE entity_kind = $1 AND entity_id = $2 AND version = $3
        ), inserted AS (
          INSERT INTO gnlc_event_log
            (position, entity_kind, entity_id, version, type, country, city, period, status, occurred_at, reason, recorded_at)
          SELECT coalesce((SELECT max(position) FROM gnlc_event_log), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
          WHERE NOT EXISTS (SELECT 1 FROM existing)
          RETURNING position
        )
        SELECT position FROM existing
        UNION ALL
        SELECT position FROM inserted
        """;

    // Deleted in slices, so a large backlog never holds many row locks or one long transaction.
    private const int DeleteSlice = 10_000;

    // At most this many events in one append transaction (calls are never split).
    private const int MaxBatchEvents = 1_000;

    private readonly Lock _gate = new();
    private List<PendingAppend> _queue = [];
    private bool _writing;

    public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return [];
        }

        var append = new PendingAppend([.. events.Select(EventLogRows.Normalize)]);
        bool lead;
        lock (_gate)
        {
            _queue.Add(append);
            lead = !_writing;
            _writing = true;
        }

        if (lead)
        {
            // The writer loop runs off the caller's context (a grain's), so no caller's turn is held by others' appends.
            _ = Task.Run(WriteQueuedAsync, CancellationToken.None);
        }

        return await append.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteQueuedAsync()
    {
        while (true)
        {
            List<PendingAppend> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _writing = false;
                    return;
                }

                batch = Take(ref _queue);
            }

            try
            {
                await WriteAsync(batch);
            }
            catch (Exception) when (batch.Count > 1)
            {
                // All or nothing per call: each call on its own, so one that cannot be written fails alone.
                foreach (var single in batch)
                {
                    await WriteOrFailAsync([single]);
                }
            }
            catch (Exception exception)
            {
                batch[0].Done.TrySetException(exception);
            }
        }
    }

    private async Task WriteOrFailAsync(List<PendingAppend> batch)
    {
        try
        {
            await WriteAsync(batch);
        }
        catch (Exception exception)
        {
            foreach (var append in batch)
            {
                append.Done.TrySetException(exception);
            }
        }
    }

    /// <summary>The queued calls, whole, up to <see cref="MaxBatchEvents"/> events (at least one call).</summary>
    private static List<PendingAppend> Take(ref List<PendingAppend> queue)
    {
        var count = 0;
        var events = 0;
        while (count < queue.Count && (count == 0 || events + queue[count].Events.Length <= MaxBatchEvents))
        {
            events += queue[count].Events.Length;
            count++;
        }

        if (count == queue.Count)
        {
            var all = queue;
            queue = [];
            return all;
        }

        var taken = queue.GetRange(0, count);
        queue.RemoveRange(0, count);
        return taken;
    }

    /// <summary>Appends every event of <paramref name="batch"/> in one transaction and completes each call with its positions.</summary>
    private async Task WriteAsync(List<PendingAppend> batch)
    {
        var recordedAt = time.GetUtcNow().ToUniversalTime();
        await using var command = new NpgsqlBatch();
        command.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)")
        {
            Parameters = { new NpgsqlParameter<long> { TypedValue = AppendLockKey } },
        });
        var total = 0;
        foreach (var append in batch)
        {
            foreach (var evt in append.Events)
            {
                command.BatchCommands.Add(new NpgsqlBatchCommand(AppendOne)
                {
                    Parameters =
                    {
                        Text(evt.Entity.ToString()),
                        Text(evt.EntityId),
                        new NpgsqlParameter<long> { TypedValue = evt.Version },
                        Text(evt.Type.ToString()),
                        Text(evt.Country),
                        Text(evt.City),
                        Text(evt.Period),
                        Text(evt.Status),
                        new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = evt.OccurredAt },
                        Text(evt.Reason),
                        new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = recordedAt },
                    },
                });
                total++;
            }
        }

        // No explicit transaction: a batch without one runs as one implicit transaction (all statements or none), and
        // its commit comes with the same round trip, so the lock is held for one round trip and the WAL flush.
        var positions = new long[total];
        await using (var reader = await dataSource.ExecutePreparedAsync(command, CommandBehavior.Default, CancellationToken.None))
        {
            // The lock's result first (one row, void), then one position per event.
            for (var i = 0; i < total; i++)
            {
                if (!await reader.NextResultAsync(CancellationToken.None) || !await reader.ReadAsync(CancellationToken.None))
                {
                    throw new InvalidOperationException("The event log returned no position for an appended event.");
                }

                positions[i] = reader.GetInt64(0);
            }
        }

        var offset = 0;
        foreach (var append in batch)
        {
            append.Done.TrySetResult(positions[offset..(offset + append.Events.Length)]);
            offset += append.Events.Length;
        }
    }

    public async Task<IReadOnlyList<FeedEvent>> ReadAfterAsync(long position, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        await using var command = new NpgsqlBatch
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT {EventLogRows.Columns} FROM gnlc_event_log WHERE position > $1 ORDER BY position LIMIT $2")
                {
                    Parameters = { new NpgsqlParameter<long> { TypedValue = position }, new NpgsqlParameter<int> { TypedValue = max } },
                },
            },
        };
        await using var reader = await dataSource.ExecutePreparedAsync(command, CommandBehavior.Default, cancellationToken);
        var events = new List<FeedEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(EventLogRows.Read(reader, static (r, i) => r.GetFieldValue<DateTimeOffset>(i)));
        }

        return events;
    }

    public async Task<long> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(position), 0) FROM gnlc_event_log");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<int> DeleteRecordedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        // The newest row stays whatever its age: it holds the head, from which the next position is counted.
        const string Sql = """
            DELETE FROM gnlc_event_log
            WHERE position IN (
              SELECT position FROM gnlc_event_log
              WHERE recorded_at < $1 AND position < (SELECT max(position) FROM gnlc_event_log)
              ORDER BY position
              LIMIT $2)
            """;
        var total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(Sql);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = cutoff.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = DeleteSlice });
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < DeleteSlice)
            {
                return total;
            }
        }
    }

    private static NpgsqlParameter<string?> Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = value };

    private sealed class PendingAppend(DomainEvent[] events)
    {
        public DomainEvent[] Events { get; } = events;

        public TaskCompletionSource<IReadOnlyList<long>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
