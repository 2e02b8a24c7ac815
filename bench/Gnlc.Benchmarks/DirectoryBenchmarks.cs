using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Gnlc.Cities;
using Gnlc.Domain;
using Gnlc.Network;
using Gnlc.State;

namespace Gnlc.Benchmarks;

/// <summary>
/// The directory rules (Grains/Domain/DirectoryRules.cs) as the directory grains run them: every shard (one per
/// country) matches and orders its head, the directory merges the heads into a page; a registration upserts the
/// city's summary into its country's shard and recomputes the country's totals.
/// </summary>
[MemoryDiagnoser]
public class DirectoryBenchmarks
{
    private const int Countries = 194;

    private CitySummary[][] _shards = [];
    private DirectoryShardState _largestShard = new();
    private string _largestCountry = "";
    private CitySummary _update = null!;

    [Params(10_000, 100_000)]
    public int Cities { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var all = Samples.Summaries(Cities, Countries);
        _shards = [.. all.GroupBy(c => c.Country, StringComparer.Ordinal).Select(g => g.ToArray())];
        var largest = _shards.MaxBy(s => s.Length)!;
        _largestCountry = largest[0].Country;
        _largestShard = largest.Aggregate(new DirectoryShardState(), (state, city) => DirectoryRules.Upsert(state, _largestCountry, city));
        _update = largest[^1] with { Status = CityStatus.Member, Version = 2 };
    }

    /// <summary>GET /cities?page=1&amp;pageSize=50: every shard's head, merged.</summary>
    [Benchmark]
    public DirectoryPage FirstPageAllCountries() => Query(new DirectoryQuery(Page: 1, PageSize: 50));

    /// <summary>GET /cities?q=12&amp;page=1&amp;pageSize=50: a name search over every shard.</summary>
    [Benchmark]
    public DirectoryPage NameSearchAllCountries() => Query(new DirectoryQuery(Q: "12", Page: 1, PageSize: 50));

    /// <summary>GET /cities?status=Member&amp;page=5&amp;pageSize=50: a deeper page, so every shard returns a longer head.</summary>
    [Benchmark]
    public DirectoryPage FifthPageMembers() => Query(new DirectoryQuery(Status: CityStatus.Member, Page: 5, PageSize: 50));

    /// <summary>GET /cities?country=..: one shard.</summary>
    [Benchmark]
    public DirectoryPage OneCountry() => Query(new DirectoryQuery(Country: _largestCountry, Page: 1, PageSize: 50));

    /// <summary>A city's summary delivered to its shard (the largest one): copy-on-write upsert and country totals.</summary>
    [Benchmark]
    public DirectoryShardState ShardUpsert() => DirectoryRules.Upsert(_largestShard, _largestCountry, _update);

    private DirectoryPage Query(DirectoryQuery query)
    {
        var normalized = DirectoryRules.Normalize(query);
        var take = DirectoryRules.HeadSize(normalized);
        var heads = new List<(int Total, ImmutableArray<CitySummary> Items)>(_shards.Length);
        foreach (var shard in _shards)
        {
            if (normalized.Country is null || shard[0].Country == normalized.Country)
            {
                heads.Add(DirectoryRules.Match(shard, normalized, take));
            }
        }

        return DirectoryRules.Page(heads, normalized);
    }
}
