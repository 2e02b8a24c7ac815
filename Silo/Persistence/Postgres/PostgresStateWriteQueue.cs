using Npgsql;

namespace Gnlc.Silo.Persistence.Postgres;

/// <summary>
/// Group commit of grain-state writes: the writes that arrive while one batch is in flight are queued and sent
/// together as one <see cref="NpgsqlBatch"/> (one round trip, one implicit transaction, one commit). Each caller is
/// answered only after that commit, with its own statement's result.
/// </summary>
/// <remarks>
/// <para>
/// Why: on 2 shared cores the write path is CPU-bound, and each write was one statement, one round trip and one commit;
/// the socket sends and the commits (WAL flushes) cost per round trip, not per row.
/// </para>
/// <para>
/// Every statement answers one row (the stored version) or none (a version conflict), never an error for a conflict,
/// so a conflict fails only its own caller. A statement that errors aborts the implicit transaction and with it the
/// whole batch; its writes are then sent one by one, so one bad write cannot fail the others. A batch never holds two
/// writes of the same state (a later one waits for the next batch), so every write sees the previous one committed,
/// exactly as when they are sent one after another.
/// </para>
/// </remarks>
internal sealed class PostgresStateWriteQueue(NpgsqlDataSource dataSource)
{
    /// <summary>At most this many writes in one batch.</summary>
    public const int MaxBatch = 256;

    private readonly Lock _gate = new();
    private readonly List<PendingWrite> _queue = [];
    private bool _writing;

    /// <summary>Writes one state with the statement <paramref name="command"/> builds (called again on a retry).</summary>
    /// <param name="stateName">With <paramref name="grainKey"/>, which state the statement writes.</param>
    /// <param name="grainKey">The grain's storage key.</param>
    /// <param name="command">Builds the statement; it answers the stored version in its first column, or no row.</param>
    /// <param name="cancellationToken">Stops the wait only: a write already queued is still sent.</param>
    /// <returns>The version the statement answered once committed, or <see langword="null"/> when it answered no row.</returns>
    public async Task<int?> WriteAsync(string stateName, string grainKey, Func<NpgsqlBatchCommand> command, CancellationToken cancellationToken)
    {
        var write = new PendingWrite(stateName, grainKey, command);
        bool lead;
        lock (_gate)
        {
            _queue.Add(write);
            lead = !_writing;
            _writing = true;
        }

        if (lead)
        {
            // Off the caller's context (a grain's): no grain's turn is held by the others' writes.
            _ = Task.Run(WriteQueuedAsync, CancellationToken.None);
        }

        return await write.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteQueuedAsync()
    {
        while (true)
        {
            List<PendingWrite> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _writing = false;
                    return;
                }

                batch = Take(_queue);
            }

            try
            {
                await WriteAsync(batch);
            }
            catch (PostgresException) when (batch.Count > 1)
            {
                // The server refused a statement and rolled the batch back: each write on its own, so that only the one
                // it refused fails.
                foreach (var single in batch)
                {
                    await WriteOrFailAsync([single]);
                }
            }
            catch (Exception exception)
            {
                // No answer from the server (connection lost, timeout): the outcome is unknown, as for a single write.
                Fail(batch, exception);
            }
        }
    }

    private async Task WriteOrFailAsync(List<PendingWrite> batch)
    {
        try
        {
            await WriteAsync(batch);
        }
        catch (Exception exception)
        {
            Fail(batch, exception);
        }
    }

    private static void Fail(List<PendingWrite> batch, Exception exception)
    {
        foreach (var write in batch)
        {
            write.Done.TrySetException(exception);
        }
    }

    /// <summary>Takes up to <see cref="MaxBatch"/> queued writes in order, at most one per state; the rest stay queued.</summary>
    private static List<PendingWrite> Take(List<PendingWrite> queue)
    {
        var batch = new List<PendingWrite>(Math.Min(queue.Count, MaxBatch));
        var states = new HashSet<(string, string)>();
        var kept = 0;
        for (var i = 0; i < queue.Count; i++)
        {
            var write = queue[i];
            if (batch.Count < MaxBatch && states.Add((write.StateName, write.GrainKey)))
            {
                batch.Add(write);
            }
            else
            {
                queue[kept++] = write;
            }
        }

        queue.RemoveRange(kept, queue.Count - kept);
        return batch;
    }

    /// <summary>Sends <paramref name="batch"/> as one implicit transaction and answers each write once it committed.</summary>
    private async Task WriteAsync(List<PendingWrite> batch)
    {
        await using var command = new NpgsqlBatch();
        foreach (var write in batch)
        {
            command.BatchCommands.Add(write.Command());
        }

        var versions = new int?[batch.Count];
        await using (var reader = await dataSource.ExecutePreparedAsync(command, System.Data.CommandBehavior.Default, CancellationToken.None))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (i > 0 && !await reader.NextResultAsync(CancellationToken.None))
                {
                    throw new InvalidOperationException("A grain-state batch returned fewer results than it has statements.");
                }

                versions[i] = await reader.ReadAsync(CancellationToken.None) ? reader.GetInt32(0) : null;
            }
        }

        // The reader is disposed: the server has answered the commit (an error in it would have been thrown above).
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(versions[i]);
        }
    }

    private sealed class PendingWrite(string stateName, string grainKey, Func<NpgsqlBatchCommand> command)
    {
        public string StateName { get; } = stateName;

        public string GrainKey { get; } = grainKey;

        public Func<NpgsqlBatchCommand> Command { get; } = command;

        public TaskCompletionSource<int?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
