using System.Net;
using System.Text.Json;
using Gnlc.Api.Tests.Support;

namespace Gnlc.Api.Tests;

/// <summary>
/// The routes the membership cycle does not take, each to its success over HTTP: the commission's list,
/// a withdrawn endorsement, a profile change, a declined application, closing, an award, suspension and
/// the end of a membership. A cluster of its own: it moves the test clock.
/// </summary>
public sealed class DecisionsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Country = "SE";

    [Fact]
    public async Task A_commission_withdraws_an_endorsement_and_the_coordinator_declines_and_closes()
    {
        var suffix = ApiFixture.Unique();
        var periodId = "decide-" + suffix;
        var commission = Caller.Commission(Country);
        var commissionPath = $"/api/v1/commissions/{Country}/periods/{periodId}";
        var malmo = await api.RegisterCityAsync("Malmo " + suffix, Country, population: 350_000);
        var lund = await api.RegisterCityAsync("Lund " + suffix, Country, population: 125_000);
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/periods", Caller.Coordinator, new { id = periodId, opensAt = await api.ClockNowAsync() });

        // The mayor changes one field of the profile; the others stay as they were.
        var changed = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/cities/{lund}", Caller.Mayor(lund), new { population = 126_000 });
        Assert.Equal(126_000, changed.GetProperty("population").GetInt64());
        Assert.Equal("Lund " + suffix, changed.GetProperty("name").GetString());
        Assert.Equal("Mayor of Lund " + suffix, changed.GetProperty("mayor").GetString());

        foreach (var city in new[] { malmo, lund })
        {
            var application = $"/api/v1/cities/{city}/applications/{periodId}";
            await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, application, Caller.Mayor(city), ApiFixture.CompleteForm());
            await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, application + "/mayor-endorsement", Caller.Mayor(city), new { statement = "Endorsed." });
            await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, application + "/submit", Caller.Mayor(city));
        }

        // The commission lists what was submitted to it, endorses both, then withdraws Lund before forwarding.
        var listed = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, commissionPath + "/applications", commission);
        Assert.Equal(2, listed.GetProperty("total").GetInt32());
        Assert.All(listed.GetProperty("items").EnumerateArray(), item =>
        {
            Assert.Equal("Submitted", item.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.String, item.GetProperty("submittedAt").ValueKind);
        });
        Assert.Equal(["Lund " + suffix, "Malmo " + suffix],
            listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("cityName").GetString()).Order(StringComparer.Ordinal));
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, commissionPath + "/endorsements", commission, new { cityId = malmo });
        var both = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, commissionPath + "/endorsements", commission, new { cityId = lund });
        Assert.Equal(2, both.GetProperty("endorsedCount").GetInt32());
        var withdrawn = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"{commissionPath}/endorsements/{lund}", commission);
        Assert.Equal(1, withdrawn.GetProperty("endorsedCount").GetInt32());
        Assert.Equal("Submitted", StatusOf(withdrawn, lund));
        Assert.Equal("Endorsed", StatusOf(withdrawn, malmo));
        Assert.Equal("Submitted", (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/cities/{lund}/applications/{periodId}", Caller.Mayor(lund)))
            .GetProperty("status").GetString());

        // Forwarding after the window; at the endorsement deadline Lund ends not endorsed; in review Malmo is declined.
        await api.AdvanceClockAsync("P2M");
        var forwarded = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, commissionPath + "/forward", commission);
        Assert.Equal("Forwarded", StatusOf(forwarded, malmo));
        var late = await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Delete, $"{commissionPath}/endorsements/{malmo}", commission);
        Assert.Equal("already-forwarded", late.GetProperty("code").GetString());
        await api.AdvanceClockAsync("P1M");
        Assert.Equal("NotEndorsed", (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/cities/{lund}/applications/{periodId}", Caller.Coordinator))
            .GetProperty("status").GetString());
        var declined = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/periods/{periodId}/applications/{malmo}/decision",
            Caller.Coordinator, new { decision = "decline", reason = "The plan lacks a budget." });
        Assert.Equal("Declined", declined.GetProperty("status").GetString());
        Assert.Equal("Candidate", (await api.GetAsync($"/api/v1/cities/{malmo}")).GetProperty("status").GetString());

        var closed = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/periods/{periodId}/close", Caller.Coordinator);
        Assert.Equal("Closed", closed.GetProperty("phase").GetString());
        Assert.Equal("Closed", (await api.GetAsync($"/api/v1/periods/{periodId}")).GetProperty("phase").GetString());
    }

    [Fact]
    public async Task The_coordinator_grants_an_award_then_suspends_and_ends_a_membership()
    {
        var suffix = ApiFixture.Unique();
        var name = "Uppsala " + suffix;
        var import = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/v1/cities/import", Caller.Coordinator,
            new[] { new { city = name, country = Country, yearJoined = 2019 } });
        Assert.Equal(1, import.GetProperty("imported").GetInt32());
        var city = $"se-uppsala-{suffix}";
        var year = (await api.ClockNowAsync()).Year;

        using (var granted = await api.SendAsync(HttpMethod.Post, "/api/v1/awards", Caller.Coordinator,
            new { cityId = city, year, citation = "For learning in every neighbourhood." }, cancellationToken: TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
            Assert.Equal($"/api/v1/cities/{city}", granted.Headers.Location?.OriginalString);
        }

        var awards = (await api.GetAsync($"/api/v1/awards?year={year}&country={Country}")).GetProperty("items").EnumerateArray().ToList();
        var award = Assert.Single(awards, a => a.GetProperty("cityId").GetString() == city);
        Assert.Equal(name, award.GetProperty("cityName").GetString());
        Assert.Equal("For learning in every neighbourhood.", award.GetProperty("citation").GetString());
        Assert.DoesNotContain((await api.GetAsync($"/api/v1/awards?year={year - 1}&country={Country}")).GetProperty("items").EnumerateArray(),
            a => a.GetProperty("cityId").GetString() == city);

        var suspended = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/cities/{city}/membership/suspend", Caller.Coordinator,
            new { reason = "No report for four years." });
        Assert.Equal("Suspended", suspended.GetProperty("status").GetString());
        Assert.Equal("No report for four years.", suspended.GetProperty("statusReason").GetString());
        var ended = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/cities/{city}/membership/end", Caller.Coordinator,
            new { reason = "The city left the network." });
        Assert.Equal("Ended", ended.GetProperty("status").GetString());
        var again = await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/v1/cities/{city}/membership/suspend", Caller.Coordinator,
            new { reason = "Again." });
        Assert.Equal("membership-ended", again.GetProperty("code").GetString());
        var endedPage = await api.GetAsync($"/api/v1/cities?country={Country}&status=Ended");
        Assert.Contains(endedPage.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetString() == city);
    }

    private static string? StatusOf(JsonElement page, string cityId) =>
        page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("cityId").GetString() == cityId).GetProperty("status").GetString();
}
