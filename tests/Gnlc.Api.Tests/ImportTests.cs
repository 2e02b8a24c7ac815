using System.Net;
using System.Text;
using System.Text.Json;
using Gnlc.Api.Tests.Support;

namespace Gnlc.Api.Tests;

/// <summary>
/// The Key Features reference, progress-report keys checked against its areas of focus, and the bulk imports of
/// existing members and awards (POST /cities/import, /awards/import): idempotent, each row all or nothing.
/// </summary>
public sealed class ImportTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_member_states_are_the_194_member_states_and_11_associate_members_with_their_regions()
    {
        var page = await api.GetAsync("/api/v1/member-states?pageSize=500");
        Assert.Equal(205, page.GetProperty("total").GetInt32());
        var states = page.GetProperty("items").EnumerateArray().ToDictionary(s => s.GetProperty("code").GetString()!);
        Assert.Equal(205, states.Count);
        Assert.Equal(194, states.Values.Count(s => s.GetProperty("status").GetString() == "member_state"));
        Assert.Equal(11, states.Values.Count(s => s.GetProperty("status").GetString() == "associate_member"));
        foreach (var code in new[] { "FR", "IE", "KR", "MX", "QA", "SA", "EG", "AU", "CN", "GB" })
        {
            Assert.Equal("member_state", states[code].GetProperty("status").GetString());
        }

        Assert.Equal("Europe and North America", states["FR"].GetProperty("region").GetString());
        Assert.Equal("Arab States", states["QA"].GetProperty("region").GetString());
        Assert.Equal("Republic of Korea", states["KR"].GetProperty("name").GetString());
        Assert.Equal("associate_member", states["AW"].GetProperty("status").GetString());
        Assert.Equal("Aruba", states["AW"].GetProperty("name").GetString());
        Assert.False(states.ContainsKey("XK"));

        // A city in an associate member registers; one outside UNESCO does not.
        Assert.StartsWith("aw-", await api.RegisterCityAsync("Oranjestad " + ApiFixture.Unique(), "AW"), StringComparison.Ordinal);
        using var outside = await api.SendAsync(HttpMethod.Post, "/api/v1/cities", Caller.Coordinator,
            new { name = "Pristina", countryCode = "XK", population = 200_000, mayor = "M" }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("unknown-member-state", await outside.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_features_are_public_with_three_dimensions_and_twelve_areas_of_focus()
    {
        var framework = await api.GetAsync("/api/v1/key-features");
        var dimensions = framework.GetProperty("dimensions").EnumerateArray().ToList();
        Assert.Equal(["1", "2", "3"], dimensions.Select(d => d.GetProperty("code").GetString()));
        var areas = dimensions.SelectMany(d => d.GetProperty("areas").EnumerateArray()).ToList();
        Assert.Equal(12, areas.Count);
        Assert.Equal("Strong political will and commitment", areas.Single(a => a.GetProperty("code").GetString() == "3.1").GetProperty("name").GetString());
        Assert.All(areas, a => Assert.Empty(a.GetProperty("features").EnumerateArray()));
        Assert.Equal(42, framework.GetProperty("totalKeyFeatures").GetInt32());
    }

    [Fact]
    public async Task A_progress_report_key_must_be_an_area_of_focus()
    {
        var suffix = ApiFixture.Unique();
        var report = await ImportAsync(new[] { new { city = "Report " + suffix, country = "IE", yearJoined = 2019 } });
        Assert.Equal(1, report.GetProperty("imported").GetInt32());
        var cityId = $"ie-report-{suffix}";
        var path = $"/api/v1/cities/{cityId}/progress-reports";

        var refused = await api.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, path, Caller.Mayor(cityId),
            new { summary = "Two years of learning.", keyFeatures = new Dictionary<string, string> { ["1.1"] = "Festivals.", ["4.2"] = "?" } });
        Assert.Equal("unknown-key-feature", refused.GetProperty("code").GetString());
        Assert.Empty((await api.GetAsync($"/api/v1/cities/{cityId}")).GetProperty("progressReports").EnumerateArray());

        var filed = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, path, Caller.Mayor(cityId),
            new { summary = "Two years of learning.", keyFeatures = new Dictionary<string, string> { ["1.1"] = "Festivals.", ["3.3"] = "A budget." } });
        Assert.Equal("Festivals.", filed.GetProperty("progressReports")[0].GetProperty("keyFeatures").GetProperty("1.1").GetString());
    }

    [Fact]
    public async Task Importing_twice_changes_nothing_and_refuses_malformed_rows_and_non_member_countries_with_their_reason()
    {
        var suffix = ApiFixture.Unique();
        var before = await api.GetAsync("/api/v1/network/stats");
        var rows = new object[]
        {
            new { city = "Alpha " + suffix, country = "Portugal", yearJoined = 2022 },
            new { city = "Beta " + suffix, country = "PT", population = 120_000L, mayor = "Mayor of Beta" },
            new { city = "Gamma " + suffix, country = "Republic of Korea", memberSince = new DateTimeOffset(2020, 3, 1, 0, 0, 0, TimeSpan.Zero) },
            new { city = " ", country = "PT" },
            new { city = "Delta " + suffix, country = "Atlantis" },
            new { city = "Epsilon " + suffix, country = "PT", population = -5L },
        };

        var first = await ImportAsync(rows);
        Assert.Equal(3, first.GetProperty("imported").GetInt32());
        Assert.Equal(0, first.GetProperty("unchanged").GetInt32());
        var refused = first.GetProperty("refused").EnumerateArray()
            .Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("code").GetString(), r.GetProperty("reason").GetString()!.Length > 0)).ToList();
        Assert.Equal([(4, "invalid-city-name", true), (5, "unknown-member-state", true), (6, "invalid-population", true)], refused);

        var second = await ImportAsync(rows);
        Assert.Equal(0, second.GetProperty("imported").GetInt32());
        Assert.Equal(3, second.GetProperty("unchanged").GetInt32());
        Assert.Equal(3, second.GetProperty("refused").GetArrayLength());

        var alpha = await api.GetAsync($"/api/v1/cities/pt-alpha-{suffix}");
        Assert.Equal("Member", alpha.GetProperty("status").GetString());
        Assert.Equal(new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero), alpha.GetProperty("memberSince").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, alpha.GetProperty("population").ValueKind);
        Assert.Equal(JsonValueKind.Null, alpha.GetProperty("mayor").ValueKind);
        Assert.Equal("Member", (await api.GetAsync($"/api/v1/cities/kr-gamma-{suffix}")).GetProperty("status").GetString());
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/cities/pt-epsilon-{suffix}", Caller.Anonymous);

        var after = await api.GetAsync("/api/v1/network/stats");
        Assert.Equal(Stat(before, "memberCities") + 3, Stat(after, "memberCities"));
        Assert.Equal(Stat(before, "inhabitants") + 120_000, Stat(after, "inhabitants"));
        Assert.Equal(Stat(before, "membersWithPopulation") + 1, Stat(after, "membersWithPopulation"));
    }

    [Fact]
    public async Task A_csv_import_refuses_a_malformed_row_with_its_reason_and_imports_the_others()
    {
        var suffix = ApiFixture.Unique();
        var csv = "city,country,year_joined,region,evidence,source\n"
            + $"Lima {suffix},Peru,2019,Latin America and the Caribbean,2019 cohort,https://example.org\n"
            + $"Cusco {suffix},Peru,abc,Latin America and the Caribbean,x,https://example.org\n"
            + $"\"Arequipa, {suffix}\",Peru,,Latin America and the Caribbean,\"quoted, field\",https://example.org\n"
            + $"Nowhere {suffix},Neverland,2019,,,\n";
        var report = await PostCsvAsync("/api/v1/cities/import", csv, HttpStatusCode.OK);
        Assert.Equal(2, report.GetProperty("imported").GetInt32());
        var refused = report.GetProperty("refused").EnumerateArray().Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("code").GetString())).ToList();
        Assert.Equal([(3, "invalid-import-row"), (5, "unknown-member-state")], refused);
        var unknownYear = await api.GetAsync($"/api/v1/cities/pe-arequipa-{suffix}");
        Assert.Equal(new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero), unknownYear.GetProperty("memberSince").GetDateTimeOffset());

        var again = await PostCsvAsync("/api/v1/cities/import", csv, HttpStatusCode.OK);
        Assert.Equal((0, 2, 2), (again.GetProperty("imported").GetInt32(), again.GetProperty("unchanged").GetInt32(), again.GetProperty("refused").GetArrayLength()));
    }

    [Fact]
    public async Task An_award_import_makes_an_absent_awardee_a_member_and_grants_its_award_once()
    {
        var suffix = ApiFixture.Unique();
        var csv = "edition,city,country,conferred_at,source\n"
            + $"2021,Awarded {suffix},Ghana,ICLC5,https://example.org\n"
            + $"2011,Early {suffix},Ghana,,\n"
            + $"2099,Future {suffix},Ghana,,\n";
        var report = await PostCsvAsync("/api/v1/awards/import", csv, HttpStatusCode.OK);
        Assert.Equal(1, report.GetProperty("imported").GetInt32());
        Assert.Equal(["invalid-award-year", "invalid-award-year"], report.GetProperty("refused").EnumerateArray().Select(r => r.GetProperty("code").GetString()));
        // A refused award leaves no city behind: the row is all or nothing.
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/cities/gh-early-{suffix}", Caller.Anonymous);
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/cities/gh-future-{suffix}", Caller.Anonymous);

        var city = await api.GetAsync($"/api/v1/cities/gh-awarded-{suffix}");
        Assert.Equal("Member", city.GetProperty("status").GetString());
        var award = Assert.Single(city.GetProperty("awards").EnumerateArray());
        Assert.Equal(2021, award.GetProperty("year").GetInt32());
        Assert.Equal("UNESCO Learning City Award 2021", award.GetProperty("citation").GetString());

        var again = await PostCsvAsync("/api/v1/awards/import", csv, HttpStatusCode.OK);
        Assert.Equal((0, 1, 2), (again.GetProperty("imported").GetInt32(), again.GetProperty("unchanged").GetInt32(), again.GetProperty("refused").GetArrayLength()));
    }

    [Fact]
    public async Task Only_the_coordinator_imports_and_only_csv_or_json()
    {
        var body = new[] { new { city = "Forbidden " + ApiFixture.Unique(), country = "PT" } };
        await api.ExpectAsync(HttpStatusCode.Unauthorized, HttpMethod.Post, "/api/v1/cities/import", Caller.Anonymous, body);
        var forbidden = await api.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/api/v1/cities/import", Caller.Commission("PT"), body);
        Assert.Equal("coordinator-only", forbidden.GetProperty("code").GetString());
        using var xml = await api.SendRawAsync(HttpMethod.Post, "/api/v1/cities/import", Caller.Coordinator, "<rows/>"u8.ToArray(), "application/xml",
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, xml.StatusCode);
    }

    private static long Stat(JsonElement stats, string name) => stats.GetProperty(name).GetInt64();

    private Task<JsonElement> ImportAsync(object rows) =>
        api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/v1/cities/import", Caller.Coordinator, rows);

    private async Task<JsonElement> PostCsvAsync(string path, string csv, HttpStatusCode expected)
    {
        using var response = await api.SendRawAsync(HttpMethod.Post, path, Caller.Coordinator, Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8",
            TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(expected == response.StatusCode, $"POST {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
