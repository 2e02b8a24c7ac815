using System.Collections.Immutable;
using Gnlc.Infrastructure;
using Gnlc.State;
using Orleans.Concurrency;

namespace Gnlc.Deadlines;

/// <summary>One shard of the index of grains with a deadline (what the clock's catch-up reads).</summary>
/// <remarks>
/// Every grain whose next deadline moves calls its shard, so the shard's writes are coalesced
/// (<see cref="GroupCommit{TState}"/>): reentrant, each change applied in memory within one turn, one write for every
/// change that arrived while the previous write was in flight; a call returns once a write has stored its change.
/// </remarks>
[GrainType("gnlc-deadline-index")]
[Reentrant]
public sealed class DeadlineIndexGrain : Grain, IDeadlineIndexGrain
{
    private readonly IPersistentState<DeadlineIndexState> _store;
    private readonly GroupCommit<DeadlineIndexState> _writes;

    public DeadlineIndexGrain([PersistentState("deadline-index", ProviderNames.GrainStorage)] IPersistentState<DeadlineIndexState> store)
    {
        _store = store;
        _writes = new GroupCommit<DeadlineIndexState>(store, this.DeactivateOnIdle);
    }

    public Task SetAsync(string grainId, DateTimeOffset? due)
    {
        var state = _store.State;
        var entries = state.Entries;
        var unchanged = due is { } d ? entries.TryGetValue(grainId, out var known) && known == d : !entries.ContainsKey(grainId);
        var next = unchanged ? state : state with { Entries = due is { } at ? entries.With(grainId, at) : entries.Without(grainId) };
        return _writes.CommitAsync(next);
    }

    [ReadOnly]
    public Task<ImmutableArray<DeadlineEntry>> GetDueAsync(DateTimeOffset until) =>
        Task.FromResult(_store.State.Entries
            .Where(e => e.Value <= until)
            .OrderBy(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new DeadlineEntry(e.Key, e.Value))
            .ToImmutableArray());
}
