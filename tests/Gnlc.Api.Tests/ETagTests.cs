using System.Net;
using Gnlc.Api.Tests.Support;

namespace Gnlc.Api.Tests;

/// <summary>Cities, applications and periods carry ETags; changes to them honour If-Match (412 when stale).</summary>
[Collection(SharedWorldDefinition.Name)]
public sealed class ETagTests(SharedWorld api)
{
    [Fact]
    public async Task A_city_change_with_the_current_etag_applies_and_moves_the_etag()
    {
        var city = await api.RegisterCityAsync("Bray " + ApiFixture.Unique(), "IE");
        var etag = await api.ETagAsync($"/api/v1/cities/{city}");
        Assert.Equal("\"v1\"", etag);

        using var changed = await api.SendAsync(HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Mayor(city),
            new { population = 33_000 }, ifMatch: etag, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("\"v2\"", changed.Headers.ETag?.ToString());
        Assert.Equal("\"v2\"", await api.ETagAsync($"/api/v1/cities/{city}"));

        // The old tag is stale now; '*' matches any current version; weak tags never match (strong comparison).
        await api.ExpectAsync(HttpStatusCode.PreconditionFailed, HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Mayor(city), new { population = 1 }, ifMatch: etag);
        await api.ExpectAsync(HttpStatusCode.PreconditionFailed, HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Mayor(city), new { population = 1 }, ifMatch: "W/\"v2\"");
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/cities/{city}/representatives/Ann", Caller.Mayor(city), ifMatch: "\"v9\", \"v2\"");
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Mayor(city), new { population = 34_000 }, ifMatch: "*");
        Assert.Equal(34_000, (await api.GetAsync($"/api/v1/cities/{city}")).GetProperty("population").GetInt64());
        await api.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Mayor(city), new { population = 1 }, ifMatch: "v4");
    }

    [Fact]
    public async Task An_application_change_honours_if_match_and_a_put_cannot_create_under_if_match()
    {
        var city = await api.RegisterCityAsync("Naas " + ApiFixture.Unique(), "IE");
        var path = $"/api/v1/cities/{city}/applications/{SharedWorld.Period}";

        // No draft yet: a conditional PUT finds nothing to match.
        await api.ExpectAsync(HttpStatusCode.PreconditionFailed, HttpMethod.Put, path, Caller.Mayor(city), ApiFixture.CompleteForm(), ifMatch: "*");
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, path, Caller.Mayor(city));

        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, path, Caller.Mayor(city), ApiFixture.CompleteForm());
        var etag = await api.ETagAsync(path, Caller.Mayor(city));
        await api.ExpectAsync(HttpStatusCode.PreconditionFailed, HttpMethod.Post, path + "/mayor-endorsement", Caller.Mayor(city),
            new { statement = "Yes." }, ifMatch: "\"v0\"");
        var unchanged = await api.GetAsync(path, Caller.Mayor(city));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, unchanged.GetProperty("mayorEndorsement").ValueKind);
        Assert.Equal(etag, await api.ETagAsync(path, Caller.Mayor(city)));

        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, path + "/mayor-endorsement", Caller.Mayor(city), new { statement = "Yes." }, ifMatch: etag);
        Assert.NotEqual(etag, await api.ETagAsync(path, Caller.Mayor(city)));
    }

    [Fact]
    public async Task Periods_carry_an_etag_and_closing_honours_if_match()
    {
        var etag = await api.ETagAsync($"/api/v1/periods/{SharedWorld.Period}");
        Assert.Matches("^\"v[0-9]+\"$", etag);
        await api.ExpectAsync(HttpStatusCode.PreconditionFailed, HttpMethod.Post, $"/api/v1/periods/{SharedWorld.Period}/close", Caller.Coordinator,
            ifMatch: "\"v999999\"");
        var refused = await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/v1/periods/{SharedWorld.Period}/close", Caller.Coordinator,
            ifMatch: etag);
        Assert.Equal("period-not-in-review", refused.GetProperty("code").GetString());
    }
}
