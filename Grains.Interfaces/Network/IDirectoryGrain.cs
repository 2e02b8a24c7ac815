using System.Collections.Immutable;

namespace Gnlc.Network;

/// <summary>
/// Public read side of the network (key <see cref="GrainKeys.Directory"/>): directory pages, statistics
/// and awards, gathered from the per-country directory shards. A stateless worker, so reads scale out.
/// </summary>
[Alias("gnlc.IDirectoryGrain")]
public interface IDirectoryGrain : IGrainWithStringKey
{
    [Alias("list-cities")]
    Task<DirectoryPage> ListCitiesAsync(DirectoryQuery query);

    [Alias("stats")]
    Task<NetworkStats> GetStatsAsync();

    [Alias("list-awards")]
    Task<ImmutableArray<AwardListItem>> ListAwardsAsync(int? year = null, string? country = null);
}
