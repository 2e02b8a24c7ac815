using System.Net;
using System.Text;
using System.Text.Json;
using Gnlc.Api.Tests.Support;

namespace Gnlc.Api.Tests;

/// <summary>Every error class answers RFC 9457 problem details with a stable code (API.md "Errors").</summary>
[Collection(SharedWorldDefinition.Name)]
public sealed class ProblemDetailsTests(SharedWorld api)
{
    [Fact]
    public async Task Invalid_fields_are_400_with_errors_per_field()
    {
        using var response = await api.SendAsync(HttpMethod.Post, "/api/v1/cities", Caller.Coordinator,
            new { countryCode = "Ireland", population = 5 }, cancellationToken: TestContext.Current.CancellationToken);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request");
        var errors = problem.GetProperty("errors");
        Assert.Equal(["countryCode", "mayor", "name"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.All(errors.EnumerateObject(), e => Assert.NotEmpty(e.Value.EnumerateArray().Select(m => m.GetString())));
    }

    [Fact]
    public async Task Malformed_json_and_wrong_types_are_400_naming_the_field()
    {
        using var wrongType = await api.SendAsync(HttpMethod.Post, "/api/v1/cities", Caller.Coordinator,
            """{"name":"Cork","countryCode":"IE","population":"many","mayor":"M"}""", cancellationToken: TestContext.Current.CancellationToken);
        var problem = await AssertProblemAsync(wrongType, HttpStatusCode.BadRequest, "invalid-request");
        Assert.True(problem.GetProperty("errors").TryGetProperty("population", out _));

        using var malformed = await api.SendAsync(HttpMethod.Post, "/api/v1/cities", Caller.Coordinator,
            """{"name":"Cork",""", cancellationToken: TestContext.Current.CancellationToken);
        await AssertProblemAsync(malformed, HttpStatusCode.BadRequest, "invalid-request");

        using var badQuery = await api.SendAsync(HttpMethod.Get, "/api/v1/cities?page=first", Caller.Anonymous, cancellationToken: TestContext.Current.CancellationToken);
        var query = await AssertProblemAsync(badQuery, HttpStatusCode.BadRequest, "invalid-request");
        Assert.True(query.GetProperty("errors").TryGetProperty("page", out _));

        using var outOfRange = await api.SendAsync(HttpMethod.Get, "/api/v1/periods?pageSize=501", Caller.Anonymous, cancellationToken: TestContext.Current.CancellationToken);
        var range = await AssertProblemAsync(outOfRange, HttpStatusCode.BadRequest, "invalid-request");
        Assert.True(range.GetProperty("errors").TryGetProperty("pageSize", out _));
    }

    [Fact]
    public async Task An_unknown_member_state_is_400_with_its_code()
    {
        using var response = await api.SendAsync(HttpMethod.Post, "/api/v1/cities", Caller.Coordinator,
            new { name = "Atlantis", countryCode = "QQ", population = 1, mayor = "Poseidon" }, cancellationToken: TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "unknown-member-state");
    }

    [Fact]
    public async Task No_token_is_401()
    {
        using var response = await api.SendAsync(HttpMethod.Post, "/api/v1/cities", Caller.Anonymous,
            new { name = "Cork", countryCode = "IE", population = 1, mayor = "M" }, cancellationToken: TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task A_token_without_an_actor_and_a_wrong_role_are_403()
    {
        using var noActor = await api.SendAsync(HttpMethod.Get, "/api/v1/commissions/IE/periods/shared/applications", Caller.NoActor,
            cancellationToken: TestContext.Current.CancellationToken);
        await AssertProblemAsync(noActor, HttpStatusCode.Forbidden, "forbidden");

        var city = await api.RegisterCityAsync("Galway " + ApiFixture.Unique(), "IE");
        using var wrongRole = await api.SendAsync(HttpMethod.Post, $"/api/v1/cities/{city}/membership/suspend", Caller.Mayor(city),
            new { reason = "Self-suspension." }, cancellationToken: TestContext.Current.CancellationToken);
        await AssertProblemAsync(wrongRole, HttpStatusCode.Forbidden, "coordinator-only");
    }

    [Fact]
    public async Task A_representative_acts_only_under_a_name_the_mayor_endorsed()
    {
        var city = await api.RegisterCityAsync("Limerick " + ApiFixture.Unique(), "IE");
        var change = new { population = 205_000 };
        using var stranger = await api.SendAsync(HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Representative(city, "Seán Ó Briain"),
            change, cancellationToken: TestContext.Current.CancellationToken);
        await AssertProblemAsync(stranger, HttpStatusCode.Forbidden, "representative-not-endorsed");

        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/cities/{city}/representatives/Se%C3%A1n%20%C3%93%20Briain", Caller.Mayor(city));
        var changed = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Representative(city, "Seán Ó Briain"), change);
        Assert.Equal(205_000, changed.GetProperty("population").GetInt64());

        // The development route issues no representative token without the name the mayor endorsed.
        using var nameless = await api.SendAsync(HttpMethod.Post, "/api/v1/dev/tokens", Caller.Anonymous,
            new { role = "city", city, cityRole = "representative" }, cancellationToken: TestContext.Current.CancellationToken);
        var problem = await AssertProblemAsync(nameless, HttpStatusCode.BadRequest, "invalid-request");
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task An_unknown_city_period_or_route_is_404()
    {
        using var city = await api.SendAsync(HttpMethod.Get, $"/api/v1/cities/ie-nowhere-{ApiFixture.Unique()}", Caller.Anonymous,
            cancellationToken: TestContext.Current.CancellationToken);
        await AssertProblemAsync(city, HttpStatusCode.NotFound, "city-not-found");

        using var period = await api.SendAsync(HttpMethod.Get, "/api/v1/periods/never-scheduled", Caller.Anonymous,
            cancellationToken: TestContext.Current.CancellationToken);
        await AssertProblemAsync(period, HttpStatusCode.NotFound, "period-not-found");

        using var route = await api.SendAsync(HttpMethod.Get, "/api/v1/no-such-route", Caller.Anonymous, cancellationToken: TestContext.Current.CancellationToken);
        await AssertProblemAsync(route, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_domain_refusal_is_409_with_its_code()
    {
        var name = "Limerick " + ApiFixture.Unique();
        await api.RegisterCityAsync(name, "IE", population: 100_000);
        using var response = await api.SendAsync(HttpMethod.Post, "/api/v1/cities", Caller.Coordinator,
            new { name, countryCode = "IE", population = 200_000, mayor = "Someone else" }, cancellationToken: TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, HttpStatusCode.Conflict, "city-already-registered");
    }

    [Fact]
    public async Task A_stale_if_match_is_412_and_changes_nothing()
    {
        var city = await api.RegisterCityAsync("Sligo " + ApiFixture.Unique(), "IE");
        var before = await api.GetAsync($"/api/v1/cities/{city}");
        using var response = await api.SendAsync(HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Mayor(city),
            new { population = 1 }, ifMatch: "\"v999\"", cancellationToken: TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "precondition-failed");
        Assert.Equal("\"v1\"", response.Headers.ETag?.ToString());
        Assert.Equal(before.GetRawText(), (await api.GetAsync($"/api/v1/cities/{city}")).GetRawText());
    }

    [Fact]
    public async Task A_body_over_256_kb_is_413()
    {
        var city = await api.RegisterCityAsync("Kilkenny " + ApiFixture.Unique(), "IE");
        var body = JsonSerializer.Serialize(new { name = new string('x', 300 * 1024) });
        using var response = await api.SendAsync(HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Mayor(city), body,
            cancellationToken: TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var city = await api.RegisterCityAsync("Athlone " + ApiFixture.Unique(), "IE");
        using var plain = await api.SendRawAsync(HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Mayor(city),
            Encoding.UTF8.GetBytes("name=Athlone"), "text/plain", TestContext.Current.CancellationToken);
        await AssertProblemAsync(plain, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");

        using var latin1 = await api.SendRawAsync(HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Mayor(city),
            Encoding.Latin1.GetBytes("""{"name":"Athlone"}"""), "application/json; charset=iso-8859-1", TestContext.Current.CancellationToken);
        await AssertProblemAsync(latin1, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task Problems_are_json_whatever_the_client_accepts()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/cities/ie-missing-{ApiFixture.Unique()}", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept", "text/html");
        using var response = await api.Http.SendAsync(request, TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, HttpStatusCode.NotFound, "city-not-found");
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("type").GetString()), text);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()), text);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()), text);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }
}
