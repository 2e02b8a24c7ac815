using BenchmarkDotNet.Attributes;
using Gnlc.Cities;
using Gnlc.Domain;
using Gnlc.Network;
using Gnlc.State;

namespace Gnlc.Benchmarks;

/// <summary>
/// The directory as the directory grain runs it (Grains/Domain/DirectoryIndex.cs): every city's summary in memory,
/// kept in directory order overall, per country and per status. A page is a slice of one list, or a scan of one list
/// when a filter has no list of its own (a name search). A registration upserts the city's summary into the index
/// (and into its country's stored shard, copy-on-write); a rebuild loads every shard's summaries at once.
/// </summary>
[MemoryDiagnoser]
public class DirectoryBenchmarks
{
    private const int Countries = 194;

    private CitySummary[] _all = [];
    private DirectoryIndex _index = new();
    private DirectoryShardState _largestShard = new();
    private string _largestCountry = "";
    private CitySummary _update = null!;
    private CitySummary _original = null!;

    [Params(10_000, 100_000)]
    public int Cities { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _all = Samples.Summaries(Cities, Countries);
        _index = new DirectoryIndex();
        _index.Load(_all);
        var largest = _all.GroupBy(c => c.Country, StringComparer.Ordinal).MaxBy(g => g.Count())!.ToArray();
        _largestCountry = largest[0].Country;
        _largestShard = largest.Aggregate(new DirectoryShardState(), DirectoryRules.Upsert);
        _original = largest[^1];
        _update = _original with { Status = CityStatus.Member, Version = 2 };
    }

    /// <summary>GET /cities?page=1&amp;pageSize=50: a slice of the list of all cities.</summary>
    [Benchmark]
    public DirectoryPage FirstPageAllCountries() => Query(new DirectoryQuery(Page: 1, PageSize: 50));

    /// <summary>GET /cities?q=12&amp;page=1&amp;pageSize=50: a name search scans every city.</summary>
    [Benchmark]
    public DirectoryPage NameSearchAllCountries() => Query(new DirectoryQuery(Q: "12", Page: 1, PageSize: 50));

    /// <summary>GET /cities?status=Member&amp;page=5&amp;pageSize=50: a slice of the members' list.</summary>
    [Benchmark]
    public DirectoryPage FifthPageMembers() => Query(new DirectoryQuery(Status: CityStatus.Member, Page: 5, PageSize: 50));

    /// <summary>GET /cities?country=..: a slice of one country's list.</summary>
    [Benchmark]
    public DirectoryPage OneCountry() => Query(new DirectoryQuery(Country: _largestCountry, Page: 1, PageSize: 50));

    /// <summary>GET /network/stats right after a change: the countries' totals summed again.</summary>
    [Benchmark]
    public NetworkStats StatsAfterChange()
    {
        IndexUpsert();
        return _index.Stats;
    }

    /// <summary>A city's changed summary taken into the index (and back, so every iteration does the same work).</summary>
    [Benchmark]
    public bool IndexUpsert()
    {
        var next = _index.Upsert(_update);
        _index.Upsert(_original with { Version = _update.Version + 1 });
        _update = _update with { Version = _update.Version + 2 };
        return next;
    }

    /// <summary>A city's summary delivered to its (the largest) country shard: the copy-on-write upsert it stores.</summary>
    [Benchmark]
    public DirectoryShardState ShardUpsert() => DirectoryRules.Upsert(_largestShard, _update);

    /// <summary>A new directory activation: every shard's summaries loaded and sorted.</summary>
    [Benchmark]
    public int Rebuild()
    {
        var index = new DirectoryIndex();
        index.Load(_all);
        return index.Count;
    }

    private DirectoryPage Query(DirectoryQuery query) => _index.Page(DirectoryRules.Normalize(query));
}
