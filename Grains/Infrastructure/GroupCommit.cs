using Orleans.Storage;

namespace Gnlc.Infrastructure;

/// <summary>
/// Group commit of one persistent state, for a grain that takes many small changes of it concurrently (calls that
/// interleave): each change is applied in memory within one turn, and one storage write stores every change applied
/// while the previous write was in flight. A caller's task completes when a write that started after its change
/// has stored it, so no change is acknowledged before it is durable.
/// </summary>
/// <remarks>
/// A failed write fails every caller it would have acknowledged; their senders deliver again (notices are
/// idempotent), and the changes stay in memory for the next write. A stale write (another activation wrote the row)
/// deactivates the grain, so that the redeliveries reach a fresh activation that reads the row again.
/// </remarks>
public sealed class GroupCommit<TState>(IPersistentState<TState> store, Action deactivate)
{
    // Callers whose changes the next write stores; null when no change waits for a write.
    private TaskCompletionSource? _nextWrite;
    private bool _writing;

    // Changes applied in memory that no successful write has stored yet.
    private bool _unstored;

    /// <summary>
    /// Replaces the state with <paramref name="next"/> (in the caller's turn) and returns when it is stored. The same
    /// instance means no change; such a caller still waits while earlier changes are not stored, since its notice
    /// may be one of them (a redelivery).
    /// </summary>
    public Task CommitAsync(TState next)
    {
        if (ReferenceEquals(next, store.State) && !_unstored && !_writing)
        {
            return Task.CompletedTask;
        }

        store.State = next;
        _unstored = true;
        _nextWrite ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stored = _nextWrite.Task;
        if (!_writing)
        {
            _writing = true;
            _ = WriteLoopAsync();
        }

        return stored;
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (_nextWrite is { } callers)
            {
                _nextWrite = null;
                _unstored = false;
                try
                {
                    await store.WriteStateAsync();
                    callers.TrySetResult();
                }
                catch (Exception exception)
                {
                    _unstored = true;
                    callers.TrySetException(exception);
                    if (exception is InconsistentStateException)
                    {
                        deactivate();
                    }
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }
}
