using System.Collections.Immutable;
using Gnlc.Domain;
using Gnlc.Infrastructure;
using Gnlc.Notices;
using Gnlc.State;
using Orleans.Concurrency;

namespace Gnlc.Network;

/// <summary>One country's directory: the summaries its cities deliver, and its totals for the network.</summary>
[GrainType("gnlc-directory-shard")]
public sealed class DirectoryShardGrain(
    [PersistentState("directory-shard", ProviderNames.GrainStorage)] IPersistentState<DirectoryShardState> store,
    DomainGrainServices services)
    : DomainGrain<DirectoryShardState>(store, services), IDirectoryShardGrain
{
    protected override bool HasDeadlines => false;

    private string Country => GrainKeys.ParseCountrySuffix(Key);

    public Task UpsertAsync(CitySummary summary) => CommitAsync(DirectoryRules.Upsert(State, Country, summary));

    [ReadOnly]
    public Task<ShardMatches> QueryAsync(DirectoryQuery query, int take)
    {
        var (total, items) = DirectoryRules.Match(State.Cities.Values, DirectoryRules.Normalize(query), take);
        return Task.FromResult(new ShardMatches(total, items));
    }

    [ReadOnly]
    public Task<ImmutableArray<AwardListItem>> AwardsAsync(int? year) =>
        Task.FromResult(DirectoryRules.Awards(State.Cities.Values, year).ToImmutableArray());

    protected override bool HasPendingDeliveries(DirectoryShardState state) => state.PendingStats is not null;

    protected override async Task<DirectoryShardState> DeliverAsync(DirectoryShardState state)
    {
        await GrainFactory.GetGrain<INetworkGrain>(GrainKeys.Network).ApplyCountryStatsAsync(state.PendingStats!);
        return state with { PendingStats = null };
    }
}
