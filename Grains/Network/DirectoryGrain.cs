using System.Collections.Immutable;
using Gnlc.Domain;
using Gnlc.Notices;
using Gnlc.Reference;
using Orleans.Concurrency;

namespace Gnlc.Network;

/// <summary>
/// Read side of the network: every city's summary in memory (<see cref="DirectoryIndex"/>), so a page, the statistics
/// and the awards are computed without asking the shards. The shards hand it each summary they have stored before
/// they acknowledge it, so a read sees every acknowledged change. A new activation (after a silo is lost, say)
/// rebuilds the index from every shard's stored summaries; reads wait for that rebuild, deliveries do not.
/// </summary>
/// <remarks>
/// Reentrant so that a rebuild (which awaits the shards) never blocks the shards' deliveries, and so that reads
/// interleave: every method reads or changes the index within one turn, with no await in between.
/// Kept active: a rebuild reads every shard, so the index is not dropped when reads pause.
/// </remarks>
[GrainType("gnlc-directory")]
[Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class DirectoryGrain : Grain, IDirectoryGrain, IDirectoryInbox
{
    private readonly DirectoryIndex _index = new();
    private readonly Guid _generation = Guid.NewGuid();
    private Task _loaded = Task.CompletedTask;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Started, not awaited: the shards' deliveries must get in while the rebuild waits for their snapshots.
        _loaded = LoadAsync();
        return base.OnActivateAsync(cancellationToken);
    }

    public Task ApplySummariesAsync(ImmutableArray<CitySummary> summaries)
    {
        foreach (var summary in summaries)
        {
            _index.Upsert(summary);
        }

        return Task.CompletedTask;
    }

    public Task<DirectoryPage> ListCitiesAsync(DirectoryQuery query)
    {
        var normalized = DirectoryRules.Normalize(query);
        return _loaded.IsCompletedSuccessfully
            ? Task.FromResult(_index.Page(normalized))
            : AfterLoad(() => _index.Page(normalized));
    }

    public Task<DirectoryPageResult> ListCitiesIfChangedAsync(DirectoryQuery query, DirectoryTag? cached)
    {
        var normalized = DirectoryRules.Normalize(query);
        return _loaded.IsCompletedSuccessfully
            ? Task.FromResult(PageIfChanged(normalized, cached))
            : AfterLoad(() => PageIfChanged(normalized, cached));
    }

    public Task<NetworkStats> GetStatsAsync() =>
        _loaded.IsCompletedSuccessfully ? Task.FromResult(_index.Stats) : AfterLoad(() => _index.Stats);

    public Task<ImmutableArray<AwardListItem>> ListAwardsAsync(int? year = null, string? country = null)
    {
        var normalized = string.IsNullOrWhiteSpace(country) ? null : GrainKeys.NormalizeCountry(country);
        return _loaded.IsCompletedSuccessfully
            ? Task.FromResult(_index.Awards(year, normalized))
            : AfterLoad(() => _index.Awards(year, normalized));
    }

    private DirectoryPageResult PageIfChanged(DirectoryQuery normalized, DirectoryTag? cached)
    {
        var tag = new DirectoryTag(_generation, _index.Version);
        return new DirectoryPageResult(tag, tag == cached ? null : _index.Page(normalized));
    }

    private async Task<T> AfterLoad<T>(Func<T> read)
    {
        if (_loaded.IsFaulted || _loaded.IsCanceled)
        {
            // A shard did not answer: try again for this read (the failed attempt failed the reads that waited on it).
            _loaded = LoadAsync();
        }

        await _loaded;
        return read();
    }

    /// <summary>Merges every shard's stored summaries into the index (by version: deliveries meanwhile are kept).</summary>
    private async Task LoadAsync()
    {
        var snapshots = await Task.WhenAll(MemberStates.All.Select(s =>
            GrainFactory.GetGrain<IDirectoryShardGrain>(GrainKeys.DirectoryShard(s.Code)).SnapshotAsync()));
        _index.Load(snapshots.SelectMany(s => s));
    }
}
