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
        var shard = DirectoryRules.Upsert(new DirectoryShardState(), City("ie-a", "A", CityStatus.Member, 100, awards: 1, version: 2));
        Assert.Same(shard, DirectoryRules.Upsert(shard, City("ie-a", "A", CityStatus.Candidate, 100, version: 1)));
        shard = DirectoryRules.Upsert(shard, City("ie-b", "B", CityStatus.Suspended, 50));
        shard = DirectoryRules.Upsert(shard, City("ie-c", "C", CityStatus.ReportOverdue, 25));
        Assert.Equal(["ie-a", "ie-b", "ie-c"], shard.Cities.Keys.Order(StringComparer.Ordinal));

        var index = new DirectoryIndex();
        index.Load(shard.Cities.Values);
        Assert.False(index.Upsert(City("ie-a", "A", CityStatus.Candidate, 100, version: 1)));
        Assert.Equal(new CountryStats("ie", 3, 2, 125, 1, index.CountryTotals("ie")!.Version, MembersWithPopulation: 2), index.CountryTotals("ie"));
        Assert.True(index.Upsert(City("ie-b", "B", CityStatus.Member, 50, version: 2)));
        Assert.Equal(new NetworkStats(3, 1, 175, 1, MembersWithPopulation: 3), index.Stats);
    }

    [Fact]
    public void Inhabitants_sum_the_members_whose_population_is_known_and_say_how_many_those_are()
    {
        var index = new DirectoryIndex();
        index.Upsert(City("ie-a", "A", CityStatus.Member, 100));
        index.Upsert(City("ie-b", "B", CityStatus.Member, null));
        index.Upsert(City("ie-c", "C", CityStatus.Candidate, 40));
        Assert.Equal(new CountryStats("ie", 3, 2, 100, 0, index.CountryTotals("ie")!.Version, MembersWithPopulation: 1), index.CountryTotals("ie"));
        Assert.Equal(new NetworkStats(2, 1, 100, 0, MembersWithPopulation: 1), index.Stats);
    }

    [Fact]
    public void Network_statistics_are_computed_from_the_countries_totals()
    {
        CountryStats[] countries = [new("ie", 3, 2, 125, 1, 4), new("fr", 1, 0, 0, 0, 1), new("de", 2, 2, 1000, 2, 2, MembersWithPopulation: 1)];
        Assert.Equal(new NetworkStats(4, 2, 1125, 3, MembersWithPopulation: 1), DirectoryRules.Totals(countries));
    }

    [Fact]
    public void Statistics_follow_a_city_through_its_statuses_and_awards()
    {
        var index = new DirectoryIndex();
        index.Upsert(City("ie-a", "A", CityStatus.Candidate, 100));
        index.Upsert(City("fr-b", "B", CityStatus.Member, 10));
        Assert.Equal(new NetworkStats(1, 1, 10, 0, MembersWithPopulation: 1), index.Stats);
        index.Upsert(City("ie-a", "A", CityStatus.Member, 100, awards: 1, version: 2));
        Assert.Equal(new NetworkStats(2, 2, 110, 1, MembersWithPopulation: 2), index.Stats);
        index.Upsert(City("ie-a", "A", CityStatus.Suspended, 100, awards: 1, version: 3));
        Assert.Equal(new NetworkStats(1, 1, 10, 1, MembersWithPopulation: 1), index.Stats);
        index.Upsert(City("fr-b", "B", CityStatus.Ended, 10, version: 2));
        Assert.Equal(new NetworkStats(0, 0, 0, 1, MembersWithPopulation: 0), index.Stats);
    }

    [Fact]
    public void The_directory_filters_by_country_status_and_any_part_of_the_name_case_insensitively()
    {
        var index = new DirectoryIndex();
        index.Load([City("ie-dublin", "Dublin", CityStatus.Member, 1), City("ie-dundalk", "Dundalk", CityStatus.Candidate, 1), City("de-duisburg", "Duisburg", CityStatus.Member, 1)]);
        var byName = index.Page(DirectoryRules.Normalize(new DirectoryQuery(Q: "DU")));
        Assert.Equal(3, byName.Total);
        var members = index.Page(DirectoryRules.Normalize(new DirectoryQuery(Country: "IE", Status: CityStatus.Member, Q: "lin")));
        Assert.Equal(["ie-dublin"], members.Items.Select(c => c.Id));
        Assert.Equal(["ie-dublin", "de-duisburg"], index.Page(DirectoryRules.Normalize(new DirectoryQuery(Status: CityStatus.Member))).Items.Select(c => c.Id));
        Assert.Equal(2, index.Page(DirectoryRules.Normalize(new DirectoryQuery(Country: " ie "))).Total);
    }

    [Fact]
    public void Pages_are_in_name_order_case_insensitively_then_by_id()
    {
        var index = new DirectoryIndex();
        foreach (var city in new[] { City("ie-a", "Alpha", CityStatus.Member, 1), City("ie-d", "Delta", CityStatus.Member, 1), City("fr-b", "bravo", CityStatus.Member, 1), City("fr-c", "Charlie", CityStatus.Member, 1), City("fr-e", "Echo", CityStatus.Member, 1), City("de-c", "charlie", CityStatus.Member, 1) })
        {
            index.Upsert(city);
        }

        var page = index.Page(DirectoryRules.Normalize(new DirectoryQuery(Page: 2, PageSize: 2)));
        Assert.Equal(6, page.Total);
        Assert.Equal(["de-c", "fr-c"], page.Items.Select(c => c.Id));
        var france = index.Page(DirectoryRules.Normalize(new DirectoryQuery(Country: "fr", PageSize: 2)));
        Assert.Equal(3, france.Total);
        Assert.Equal(["fr-b", "fr-c"], france.Items.Select(c => c.Id));
        Assert.Empty(index.Page(DirectoryRules.Normalize(new DirectoryQuery(Page: 9, PageSize: 2))).Items);
    }

    /// <summary>The index against the rule written plainly: filter every city, order them all, skip and take.</summary>
    [Fact]
    public void Every_page_equals_the_plain_filter_order_and_slice_of_all_cities_while_cities_change()
    {
        var random = new Random(8);
        var index = new DirectoryIndex();
        var latest = new Dictionary<string, CitySummary>();
        string[] countries = ["ie", "fr", "de"];
        string[] names = ["Dublin", "dundalk", "Cork", "cork", "Paris", "Lyon", "Duisburg", "Essen", "Ulm"];
        var statuses = Enum.GetValues<CityStatus>();
        for (var step = 0; step < 600; step++)
        {
            var country = countries[random.Next(countries.Length)];
            var id = $"{country}-{random.Next(40):00}";
            var version = latest.GetValueOrDefault(id)?.Version + 1 ?? 1;
            var city = City(id, names[random.Next(names.Length)] + " " + random.Next(3), statuses[random.Next(statuses.Length)], random.Next(3) == 0 ? null : random.Next(1000), awards: random.Next(2), version: version);
            Assert.True(index.Upsert(city));
            latest[id] = city;
            if (step % 100 == 99)
            {
                var rebuilt = new DirectoryIndex();
                rebuilt.Load(latest.Values);
                Assert.Equal(index.Stats, rebuilt.Stats);
            }

            var query = DirectoryRules.Normalize(new DirectoryQuery(
                random.Next(2) == 0 ? null : countries[random.Next(countries.Length)],
                random.Next(2) == 0 ? null : statuses[random.Next(statuses.Length)],
                random.Next(2) == 0 ? null : names[random.Next(names.Length)][1..3].ToUpperInvariant(),
                random.Next(1, 4), random.Next(1, 8)));
            var expected = latest.Values.Where(c => DirectoryRules.Matches(c, query))
                .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
            var page = index.Page(query);
            Assert.Equal(expected.Count, page.Total);
            Assert.Equal(expected.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).Select(c => c.Id), page.Items.Select(c => c.Id));
        }

        var members = latest.Values.Where(c => c.IsActiveMember).ToList();
        Assert.Equal(
            new NetworkStats(members.Count, members.Select(c => c.Country).Distinct().Count(), members.Sum(c => c.Population ?? 0),
                latest.Values.Count(c => c.AwardsCount > 0), members.Count(c => c.Population is not null)),
            index.Stats);
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
        var index = new DirectoryIndex();
        index.Load([City("ie-a", "A", CityStatus.Member, 1, awards: 2), City("fr-b", "B", CityStatus.Member, 1, awards: 1), City("fr-c", "C", CityStatus.Member, 1)]);
        Assert.Equal([(2016, "ie"), (2015, "fr"), (2015, "ie")], index.Awards(null, null).Select(a => (a.Year, a.Country)));
        Assert.Equal(["fr-b"], index.Awards(2015, "fr").Select(a => a.CityId));
    }
}
