using System.Collections.Immutable;
using Gnlc.State;
using Orleans.Concurrency;

namespace Gnlc.Deadlines;

[GrainType("gnlc-deadline-index")]
public sealed class DeadlineIndexGrain(
    [PersistentState("deadline-index", ProviderNames.GrainStorage)] IPersistentState<DeadlineIndexState> store)
    : Grain, IDeadlineIndexGrain
{
    public async Task SetAsync(string grainId, DateTimeOffset? due)
    {
        var entries = store.State.Entries;
        var unchanged = due is { } d ? entries.TryGetValue(grainId, out var known) && known == d : !entries.ContainsKey(grainId);
        if (unchanged)
        {
            return;
        }

        var previous = store.State;
        store.State = previous with { Entries = due is { } at ? entries.With(grainId, at) : entries.Without(grainId) };
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            store.State = previous;
            throw;
        }
    }

    [ReadOnly]
    public Task<ImmutableArray<DeadlineEntry>> GetDueAsync(DateTimeOffset until) =>
        Task.FromResult(store.State.Entries
            .Where(e => e.Value <= until)
            .OrderBy(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new DeadlineEntry(e.Key, e.Value))
            .ToImmutableArray());
}
