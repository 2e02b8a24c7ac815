using System.Collections.Immutable;
using Gnlc.Domain;
using Gnlc.Infrastructure;
using Gnlc.Notices;
using Gnlc.State;
using Orleans.Concurrency;
using Orleans.Storage;

namespace Gnlc.Network;

/// <summary>
/// One country's directory: the latest summary of each of its cities, stored; the durable side of the directory,
/// from which the directory grain's in-memory index is fed and rebuilt.
/// </summary>
/// <remarks>
/// <para>
/// Group commit: an upsert is applied in memory at once, and one storage write stores every upsert applied while the
/// previous write was in flight. After a write, the summaries of its batch go to the directory grain in one call; only
/// then are their callers answered, so an acknowledged change is both stored and visible to reads.
/// </para>
/// <para>
/// Reentrant for that: each upsert reads and replaces the state within one turn. A failed write or delivery fails the
/// callers of its batch, whose own outboxes (the cities') deliver again; a repeated summary is stored once (versions)
/// and handed to the directory again. A change applied in memory but not stored waits for the next write, and
/// <see cref="SnapshotAsync"/> answers only what was stored.
/// </para>
/// </remarks>
[GrainType("gnlc-directory-shard")]
[Reentrant]
public sealed class DirectoryShardGrain(
    [PersistentState("directory-shard", ProviderNames.GrainStorage)] IPersistentState<DirectoryShardState> store)
    : Grain, IDirectoryShardGrain
{
    // The next write's batch: the cities whose stored summary goes to the directory, and their callers.
    private Batch? _next;
    private bool _writing;

    // Changes applied in memory that no successful write has stored yet.
    private bool _unstored;

    // The state as last stored (or read): what a rebuild of the directory may see.
    private DirectoryShardState _stored = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stored = store.State;
        return base.OnActivateAsync(cancellationToken);
    }

    public Task UpsertAsync(CitySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var next = DirectoryRules.Upsert(store.State, summary);
        if (!ReferenceEquals(next, store.State))
        {
            store.State = next;
            _unstored = true;
        }

        _next ??= new Batch();
        _next.Cities.Add(summary.Id);
        var done = _next.Done.Task;
        if (!_writing)
        {
            _writing = true;
            _ = WriteLoopAsync();
        }

        return done;
    }

    public Task<ImmutableArray<CitySummary>> SnapshotAsync() => Task.FromResult(_stored.Cities.Values.ToImmutableArray());

    private async Task WriteLoopAsync()
    {
        try
        {
            while (_next is { } batch)
            {
                _next = null;
                try
                {
                    if (_unstored)
                    {
                        var writing = store.State;
                        _unstored = false;
                        try
                        {
                            await store.WriteStateAsync();
                        }
                        catch
                        {
                            _unstored = true;
                            throw;
                        }

                        _stored = writing;
                    }

                    // The stored summaries (a later, unstored one waits for its own batch).
                    var stored = _stored;
                    await GrainFactory.Reference<IDirectoryInbox>(GrainKeys.Directory)
                        .ApplySummariesAsync([.. batch.Cities.Select(id => stored.Cities[id])]);
                    batch.Done.TrySetResult();
                }
                catch (Exception exception)
                {
                    batch.Done.TrySetException(exception);
                    if (exception is InconsistentStateException)
                    {
                        // Another activation wrote: this one's state is stale. The callers deliver again, to a fresh one.
                        this.DeactivateOnIdle();
                    }
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }

    private sealed class Batch
    {
        public HashSet<string> Cities { get; } = new(StringComparer.Ordinal);

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
