using System.Collections.Immutable;
using Gnlc.Cities;
using Gnlc.Errors;
using Gnlc.Network;
using Gnlc.Notices;
using Gnlc.State;
using static Gnlc.Domain.Tests.Given;

namespace Gnlc.Domain.Tests;

public class DirectoryRulesTests
{
    private static CitySummary City(string id, string name, CityStatus status, long? population, int awards = 0, long version = 1) =>
        new(id, name, id[..2], status, population, status == CityStatus.Candidate ? null : Now,
            [.. Enumerable.Range(0, awards).Select(i => new Award(2015 + i, "c", Now))], version);

    [Fact]
    public void A_shard_keeps_each_citys_latest_summary_and_recomputes_its_country_totals()
    {
        var shard = DirectoryRules.Upsert(new DirectoryShardState(), "ie", City("ie-a", "A", CityStatus.Member, 100, awards: 1, version: 2));
        Assert.Same(shard, DirectoryRules.Upsert(shard, "ie", City("ie-a", "A", CityStatus.Candidate, 100, version: 1)));
        shard = DirectoryRules.Upsert(shard, "ie", City("ie-b", "B", CityStatus.Suspended, 50));
        shard = DirectoryRules.Upsert(shard, "ie", City("ie-c", "C", CityStatus.ReportOverdue, 25));
        Assert.Equal(new CountryStats("ie", 3, 2, 125, 1, shard.Version, MembersWithPopulation: 2), shard.PendingStats);
    }

    [Fact]
    public void Inhabitants_sum_the_members_whose_population_is_known_and_say_how_many_those_are()
    {
        var shard = DirectoryRules.Upsert(new DirectoryShardState(), "ie", City("ie-a", "A", CityStatus.Member, 100));
        shard = DirectoryRules.Upsert(shard, "ie", City("ie-b", "B", CityStatus.Member, null));
        shard = DirectoryRules.Upsert(shard, "ie", City("ie-c", "C", CityStatus.Candidate, 40));
        Assert.Equal(new CountryStats("ie", 3, 2, 100, 0, shard.Version, MembersWithPopulation: 1), shard.PendingStats);
        var network = DirectoryRules.ApplyCountryStats(new NetworkState(), shard.PendingStats!);
        Assert.Equal(new NetworkStats(2, 1, 100, 0, MembersWithPopulation: 1), DirectoryRules.Totals(network.Countries.Values));
    }

    [Fact]
    public void Network_statistics_are_computed_from_the_countries_totals()
    {
        var network = DirectoryRules.ApplyCountryStats(new NetworkState(), new CountryStats("ie", 3, 2, 125, 1, 4));
        network = DirectoryRules.ApplyCountryStats(network, new CountryStats("fr", 1, 0, 0, 0, 1));
        network = DirectoryRules.ApplyCountryStats(network, new CountryStats("de", 2, 2, 1000, 2, 2, MembersWithPopulation: 1));
        Assert.Same(network, DirectoryRules.ApplyCountryStats(network, new CountryStats("de", 0, 0, 0, 0, 1)));
        Assert.Equal(new NetworkStats(4, 2, 1125, 3, MembersWithPopulation: 1), DirectoryRules.Totals(network.Countries.Values));
    }

    [Fact]
    public void The_directory_filters_by_country_status_and_any_part_of_the_name_case_insensitively()
    {
        CitySummary[] cities = [City("ie-dublin", "Dublin", CityStatus.Member, 1), City("ie-dundalk", "Dundalk", CityStatus.Candidate, 1), City("de-duisburg", "Duisburg", CityStatus.Member, 1)];
        var byName = DirectoryRules.Match(cities, DirectoryRules.Normalize(new DirectoryQuery(Q: "DU")), 10);
        Assert.Equal(3, byName.Total);
        var members = DirectoryRules.Match(cities, DirectoryRules.Normalize(new DirectoryQuery(Country: "IE", Status: CityStatus.Member, Q: "lin")), 10);
        Assert.Equal(["ie-dublin"], members.Items.Select(c => c.Id));
    }

    [Fact]
    public void Pages_merge_the_ordered_heads_of_the_shards()
    {
        var query = DirectoryRules.Normalize(new DirectoryQuery(Page: 2, PageSize: 2));
        var take = DirectoryRules.HeadSize(query);
        var a = DirectoryRules.Match([City("ie-a", "Alpha", CityStatus.Member, 1), City("ie-d", "Delta", CityStatus.Member, 1)], query, take);
        var b = DirectoryRules.Match([City("fr-b", "bravo", CityStatus.Member, 1), City("fr-c", "Charlie", CityStatus.Member, 1), City("fr-e", "Echo", CityStatus.Member, 1)], query, take);
        var page = DirectoryRules.Page([a, b], query);
        Assert.Equal(5, page.Total);
        Assert.Equal(["fr-c", "ie-d"], page.Items.Select(c => c.Id));
    }

    [Theory]
    [InlineData(0, 20)]
    [InlineData(1, 0)]
    [InlineData(1, 501)]
    public void Paging_parameters_are_validated(int page, int pageSize) =>
        Refused(ErrorKind.Validation, ErrorCodes.InvalidQuery, () => DirectoryRules.Normalize(new DirectoryQuery(Page: page, PageSize: pageSize)));

    [Fact]
    public void Awards_list_by_year_with_the_city_name_and_country()
    {
        var awards = DirectoryRules.Awards([City("ie-a", "A", CityStatus.Member, 1, awards: 2)], 2016).ToImmutableArray();
        Assert.Equal(new AwardListItem("ie-a", "A", "ie", 2016, "c", Now), Assert.Single(awards));
    }
}
