using System.Collections.Immutable;

namespace Gnlc.Network;

/// <summary>
/// Public read side of the network (key <see cref="GrainKeys.Directory"/>): directory pages, statistics
/// and awards, served from an in-memory index of every city's summary that the per-country directory shards
/// keep current and rebuild on activation. A read sees every change whose write was acknowledged.
/// </summary>
[Alias("gnlc.IDirectoryGrain")]
public interface IDirectoryGrain : IGrainWithStringKey
{
    [Alias("list-cities")]
    Task<DirectoryPage> ListCitiesAsync(DirectoryQuery query);

    /// <summary>
    /// The page of <paramref name="query"/>, unless <paramref name="cached"/> is still the directory's tag: then only
    /// the tag (no page), so a front end that keeps pages answers from its copy without a page crossing the wire.
    /// </summary>
    [Alias("list-cities-if-changed")]
    Task<DirectoryPageResult> ListCitiesIfChangedAsync(DirectoryQuery query, DirectoryTag? cached);

    [Alias("stats")]
    Task<NetworkStats> GetStatsAsync();

    [Alias("list-awards")]
    Task<ImmutableArray<AwardListItem>> ListAwardsAsync(int? year = null, string? country = null);
}
