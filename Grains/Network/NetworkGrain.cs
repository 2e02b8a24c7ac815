using System.Collections.Immutable;
using Gnlc.Domain;
using Gnlc.Notices;
using Gnlc.State;
using Orleans.Concurrency;

namespace Gnlc.Network;

/// <summary>The network's statistics: totals of the per-country totals the directory shards deliver.</summary>
/// <remarks>
/// Every change of any city's status reaches this one grain, so its writes are coalesced (group commit): a change is
/// applied in memory at once, and one storage write stores every change applied while the previous write was in
/// flight; each call returns when a write that started after its change has stored it. Reentrant for that: a change
/// is applied within one turn (no await between reading and replacing the state). A failed write fails its callers,
/// whose outboxes deliver again; applying the same country's stats twice changes nothing (versions), and a change that
/// is already applied in memory but not yet stored waits for the next write.
/// </remarks>
[GrainType("gnlc-network")]
[Reentrant]
public sealed class NetworkGrain(
    [PersistentState("network", ProviderNames.GrainStorage)] IPersistentState<NetworkState> store)
    : Grain, INetworkGrain
{
    // Callers whose changes the next write stores; null when no change waits for a write.
    private TaskCompletionSource? _nextWrite;
    private bool _writing;

    // Changes applied in memory that no successful write has stored yet.
    private bool _unstored;

    public Task ApplyCountryStatsAsync(CountryStats stats)
    {
        var next = DirectoryRules.ApplyCountryStats(store.State, stats);
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
                    if (exception is Orleans.Storage.InconsistentStateException)
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

    [ReadOnly]
    public Task<NetworkStats> GetStatsAsync() => Task.FromResult(DirectoryRules.Totals(store.State.Countries.Values));

    [ReadOnly]
    public Task<ImmutableArray<string>> GetCountriesAsync() =>
        Task.FromResult(store.State.Countries.Values.Where(c => c.Cities > 0).Select(c => c.Country).Order(StringComparer.Ordinal).ToImmutableArray());
}
