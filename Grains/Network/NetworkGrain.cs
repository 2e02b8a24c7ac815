using System.Collections.Immutable;
using Gnlc.Domain;
using Gnlc.Notices;
using Gnlc.State;
using Orleans.Concurrency;

namespace Gnlc.Network;

/// <summary>The network's statistics: totals of the per-country totals the directory shards deliver.</summary>
[GrainType("gnlc-network")]
public sealed class NetworkGrain(
    [PersistentState("network", ProviderNames.GrainStorage)] IPersistentState<NetworkState> store)
    : Grain, INetworkGrain
{
    public async Task ApplyCountryStatsAsync(CountryStats stats)
    {
        var next = DirectoryRules.ApplyCountryStats(store.State, stats);
        if (ReferenceEquals(next, store.State))
        {
            return;
        }

        var previous = store.State;
        store.State = next;
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
    public Task<NetworkStats> GetStatsAsync() => Task.FromResult(DirectoryRules.Totals(store.State.Countries.Values));

    [ReadOnly]
    public Task<ImmutableArray<string>> GetCountriesAsync() =>
        Task.FromResult(store.State.Countries.Values.Where(c => c.Cities > 0).Select(c => c.Country).Order(StringComparer.Ordinal).ToImmutableArray());
}
