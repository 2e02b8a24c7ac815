using System.Text.Json;
using Gnlc.Api.Tests.Support;

namespace Gnlc.Api.Tests;

/// <summary>The embedded default with demo data: members.csv and the awardees of awards.csv, loaded at start-up.</summary>
public sealed class DemoDataTests(DemoDataTests.DemoFixture api) : IClassFixture<DemoDataTests.DemoFixture>
{
    private static readonly string[] Awardees2021 =
        ["Huejotzingo", "Jubail Industrial City", "Wyndham", "Damietta", "Clermont-Ferrand", "Dublin", "Osan", "Shanghai", "Al Wakra", "Belfast"];

    [Fact]
    public async Task The_ten_2021_awardees_are_members_with_their_2021_award()
    {
        var awards = await api.GetAsync("/api/v1/awards?year=2021&pageSize=100");
        var items = awards.GetProperty("items").EnumerateArray().ToList();
        // Each of the ten has a one-line citation of its own in the shipped file, and that is what the API serves.
        var citations = ReadCsv("awards.csv").Where(r => r["edition"] == "2021").ToDictionary(r => r["city"], r => r["citation"]);
        Assert.Equal(10, citations.Values.Count(c => c.Length > 40 && !c.StartsWith("UNESCO Learning City Award", StringComparison.Ordinal)));
        Assert.Equal(Awardees2021.Order(StringComparer.Ordinal), items.Select(i => i.GetProperty("cityName").GetString()!).Order(StringComparer.Ordinal));
        foreach (var item in items)
        {
            var city = await api.GetAsync($"/api/v1/cities/{item.GetProperty("cityId").GetString()}");
            Assert.Equal("Member", city.GetProperty("status").GetString());
            var award = Assert.Single(city.GetProperty("awards").EnumerateArray(), a => a.GetProperty("year").GetInt32() == 2021);
            Assert.Equal(citations[item.GetProperty("cityName").GetString()!], award.GetProperty("citation").GetString());
        }
    }

    [Fact]
    public async Task The_network_statistics_match_the_demo_files()
    {
        var members = ReadCsv("members.csv").Select(r => (r["city"], r["country"])).ToList();
        var awards = ReadCsv("awards.csv").Select(r => (r["city"], r["country"])).ToList();
        var cities = members.Concat(awards).Distinct().ToList();

        var stats = await api.GetAsync("/api/v1/network/stats");
        Assert.Equal(cities.Count, stats.GetProperty("memberCities").GetInt32());
        Assert.Equal(cities.Select(c => c.Item2).Distinct().Count(), stats.GetProperty("countries").GetInt32());
        Assert.Equal(awards.Distinct().Count(), stats.GetProperty("awardees").GetInt32());
        Assert.Equal(0, stats.GetProperty("membersWithPopulation").GetInt32());
        Assert.Equal(0, stats.GetProperty("inhabitants").GetInt64());
        var listed = await api.GetAsync("/api/v1/awards?pageSize=500");
        Assert.Equal(ReadCsv("awards.csv").Count, listed.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_2023_call_is_the_one_period_and_it_is_closed_history()
    {
        var periods = (await api.GetAsync("/api/v1/periods")).GetProperty("items").EnumerateArray().ToList();
        var call = Assert.Single(periods);
        Assert.Equal("2023", call.GetProperty("id").GetString());
        Assert.Equal("Closed", call.GetProperty("phase").GetString());
        Assert.Equal(new DateTimeOffset(2023, 4, 1, 0, 0, 0, TimeSpan.Zero), call.GetProperty("opensAt").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2023, 6, 1, 0, 0, 0, TimeSpan.Zero), call.GetProperty("closesAt").GetDateTimeOffset());
    }

    /// <summary>Rows of a demo file as the repository ships it (Silo/Data), header → value; quoted fields may hold commas.</summary>
    private static List<Dictionary<string, string>> ReadCsv(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Gnlc.Orleans.sln")))
        {
            directory = directory.Parent;
        }

        var lines = File.ReadAllLines(Path.Combine(directory!.FullName, "Silo", "Data", name)).Where(l => l.Length > 0).ToList();
        var header = Split(lines[0]);
        return [.. lines.Skip(1).Select(l => header.Zip(Split(l)).ToDictionary(p => p.First, p => p.Second))];
    }

    private static List<string> Split(string line)
    {
        var fields = new List<string> { string.Empty };
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(string.Empty);
            }
            else
            {
                fields[^1] += c;
            }
        }

        return fields;
    }

    public sealed class DemoFixture : ApiFixture
    {
        public override async ValueTask InitializeAsync()
        {
            Settings = new Dictionary<string, string> { ["Gnlc:Demo:Enabled"] = "true" };
            // Start-up returns once the demo loader has run (a hosted service after the silo's).
            await base.InitializeAsync();
        }
    }
}
