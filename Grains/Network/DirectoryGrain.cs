using System.Collections.Immutable;
using Gnlc.Domain;
using Gnlc.Notices;
using Orleans.Concurrency;

namespace Gnlc.Network;

/// <summary>
/// Read side of the network: fans a query out to the country shards (one, when filtered by country)
/// and merges their ordered heads into a page. Stateless, so reads scale across silos.
/// </summary>
[StatelessWorker]
[GrainType("gnlc-directory")]
public sealed class DirectoryGrain : Grain, IDirectoryGrain
{
    public async Task<DirectoryPage> ListCitiesAsync(DirectoryQuery query)
    {
        var normalized = DirectoryRules.Normalize(query);
        var countries = normalized.Country is { } country ? [country] : await Network.GetCountriesAsync();
        var take = DirectoryRules.HeadSize(normalized);
        var shards = await Task.WhenAll(countries.Select(c => Shard(c).QueryAsync(normalized, take)));
        return DirectoryRules.Page(shards.Select(s => (s.Total, s.Items)), normalized);
    }

    public Task<NetworkStats> GetStatsAsync() => Network.GetStatsAsync();

    public async Task<ImmutableArray<AwardListItem>> ListAwardsAsync(int? year = null, string? country = null)
    {
        var countries = string.IsNullOrWhiteSpace(country) ? await Network.GetCountriesAsync() : [GrainKeys.NormalizeCountry(country)];
        var awards = await Task.WhenAll(countries.Select(c => Shard(c).AwardsAsync(year)));
        return [.. awards.SelectMany(a => a)
            .OrderByDescending(a => a.Year).ThenBy(a => a.Country, StringComparer.Ordinal).ThenBy(a => a.CityName, StringComparer.OrdinalIgnoreCase)];
    }

    private INetworkGrain Network => GrainFactory.GetGrain<INetworkGrain>(GrainKeys.Network);

    private IDirectoryShardGrain Shard(string country) => GrainFactory.GetGrain<IDirectoryShardGrain>(GrainKeys.DirectoryShard(country));
}
