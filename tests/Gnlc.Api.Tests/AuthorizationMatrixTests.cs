using System.Net;
using System.Text.Json;
using Gnlc.Api.Tests.Support;

namespace Gnlc.Api.Tests;

/// <summary>What a caller may reach: the HTTP layer's 401 and the grains' 403, never a success or a 500 instead.</summary>
public enum Outcome
{
    /// <summary>No or an invalid token on a route that needs one.</summary>
    Unauthenticated,

    /// <summary>Authenticated, not allowed: no actor in the token, wrong role, other country or other city.</summary>
    Forbidden,

    /// <summary>Allowed: a success, or a domain refusal other than 401/403 (404, 409, ...).</summary>
    Allowed,
}

/// <summary>A world for the matrix: two cities in two countries, a period open now, a draft for each city.</summary>
public sealed class MatrixFixture : ApiFixture
{
    public const string CountryA = "PT";
    public const string CountryB = "ES";
    public const string CityA = "pt-matrixville";
    public const string CityB = "es-otherville";
    public const string Period = "matrix";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Assert.Equal(CityA, await RegisterCityAsync("Matrixville", CountryA));
        Assert.Equal(CityB, await RegisterCityAsync("Otherville", CountryB));
        foreach (var city in new[] { CityA, CityB })
        {
            await ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/cities/{city}/representatives/{Caller.DefaultRepresentative}", Caller.Mayor(city));
        }

        await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/periods", Caller.Coordinator, new { id = Period, opensAt = await ClockNowAsync() });
        await ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/cities/{CityA}/applications/{Period}", Caller.Mayor(CityA), CompleteForm());
        await ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/cities/{CityB}/applications/{Period}", Caller.Mayor(CityB), CompleteForm());
    }
}

/// <summary>
/// Every route × every role and scope: anonymous, a token the API does not trust, a token naming no actor,
/// the coordinator, the commission of the right and of the wrong country, the mayor and an endorsed
/// representative of the right and of the wrong city, and a representative the mayor never endorsed.
/// Public routes answer everyone; the rest answer 401 without a valid
/// token, 403 to whoever the grains refuse, and otherwise a success or a domain refusal.
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixFixture api) : IClassFixture<MatrixFixture>
{
    private const string A = MatrixFixture.CityA;
    private const string P = MatrixFixture.Period;
    private const string CountryA = MatrixFixture.CountryA;

    /// <summary>Who a protected route lets through (the grains decide; this is what they should decide).</summary>
    [Flags]
    private enum Access
    {
        Public = 0,
        Coordinator = 1,
        CommissionOwn = 2,
        MayorOwn = 4,
        RepresentativeOwn = 8,
        CityOwn = MayorOwn | RepresentativeOwn,
    }

    private sealed record Route(HttpMethod Method, string Path, Access Access, object? Body = null, bool IsPublic = false);

    private static readonly Dictionary<string, Caller> Callers = new[]
    {
        Caller.Anonymous,
        Caller.InvalidToken,
        Caller.NoActor,
        Caller.Coordinator,
        Caller.Commission(CountryA) with { Name = "commission-own-country" },
        Caller.Commission(MatrixFixture.CountryB) with { Name = "commission-other-country" },
        Caller.Mayor(A) with { Name = "mayor-own-city" },
        Caller.Mayor(MatrixFixture.CityB) with { Name = "mayor-other-city" },
        Caller.Representative(A) with { Name = "representative-own-city" },
        Caller.Representative(MatrixFixture.CityB) with { Name = "representative-other-city" },
        Caller.Representative(A, "Not Endorsed") with { Name = "representative-not-endorsed" },
    }.ToDictionary(c => c.Name);

    private static readonly Dictionary<string, Route> Routes = new()
    {
        ["GET member-states"] = new(HttpMethod.Get, "/api/v1/member-states", Access.Public, IsPublic: true),
        ["GET key-features"] = new(HttpMethod.Get, "/api/v1/key-features", Access.Public, IsPublic: true),
        ["GET network/stats"] = new(HttpMethod.Get, "/api/v1/network/stats", Access.Public, IsPublic: true),
        ["GET cities"] = new(HttpMethod.Get, $"/api/v1/cities?country={CountryA}&q=matrix", Access.Public, IsPublic: true),
        ["GET cities/{id}"] = new(HttpMethod.Get, $"/api/v1/cities/{A}", Access.Public, IsPublic: true),
        ["GET periods"] = new(HttpMethod.Get, "/api/v1/periods", Access.Public, IsPublic: true),
        ["GET periods/{id}"] = new(HttpMethod.Get, $"/api/v1/periods/{P}", Access.Public, IsPublic: true),
        ["GET awards"] = new(HttpMethod.Get, "/api/v1/awards?country=PT", Access.Public, IsPublic: true),
        ["GET dev/clock"] = new(HttpMethod.Get, "/api/v1/dev/clock", Access.Public, IsPublic: true),
        ["POST dev/clock"] = new(HttpMethod.Post, "/api/v1/dev/clock", Access.Public, new { advanceBy = "PT0S" }, IsPublic: true),
        ["POST dev/tokens"] = new(HttpMethod.Post, "/api/v1/dev/tokens", Access.Public, new { role = "coordinator" }, IsPublic: true),

        ["POST cities"] = new(HttpMethod.Post, "/api/v1/cities", Access.Coordinator,
            new { name = "Matrix Extra", countryCode = CountryA, population = 1000, mayor = "M" }),
        ["PATCH cities/{id}"] = new(HttpMethod.Patch, $"/api/v1/cities/{A}", Access.CityOwn, new { population = 250_000 }),
        ["PUT cities/{id}/representatives/{name}"] = new(HttpMethod.Put, $"/api/v1/cities/{A}/representatives/Delegate", Access.MayorOwn),
        ["PUT cities/{id}/applications/{period}"] = new(HttpMethod.Put, $"/api/v1/cities/{A}/applications/{P}", Access.CityOwn, ApiFixture.CompleteForm()),
        ["GET cities/{id}/applications/{period}"] = new(HttpMethod.Get, $"/api/v1/cities/{A}/applications/{P}",
            Access.CityOwn | Access.CommissionOwn | Access.Coordinator),
        ["POST .../mayor-endorsement"] = new(HttpMethod.Post, $"/api/v1/cities/{A}/applications/{P}/mayor-endorsement", Access.MayorOwn,
            new { statement = "Endorsed." }),
        ["POST .../submit"] = new(HttpMethod.Post, $"/api/v1/cities/{A}/applications/{P}/submit", Access.CityOwn),
        ["POST cities/{id}/progress-reports"] = new(HttpMethod.Post, $"/api/v1/cities/{A}/progress-reports", Access.CityOwn, new { summary = "Report." }),
        ["POST cities/{id}/membership/suspend"] = new(HttpMethod.Post, $"/api/v1/cities/{A}/membership/suspend", Access.Coordinator, new { reason = "R." }),
        ["POST cities/{id}/membership/end"] = new(HttpMethod.Post, $"/api/v1/cities/{A}/membership/end", Access.Coordinator, new { reason = "R." }),
        ["GET commissions/.../applications"] = new(HttpMethod.Get, $"/api/v1/commissions/{CountryA}/periods/{P}/applications",
            Access.CommissionOwn | Access.Coordinator),
        ["POST commissions/.../endorsements"] = new(HttpMethod.Post, $"/api/v1/commissions/{CountryA}/periods/{P}/endorsements",
            Access.CommissionOwn, new { cityId = A }),
        ["DELETE commissions/.../endorsements/{city}"] = new(HttpMethod.Delete, $"/api/v1/commissions/{CountryA}/periods/{P}/endorsements/{A}",
            Access.CommissionOwn),
        ["POST commissions/.../forward"] = new(HttpMethod.Post, $"/api/v1/commissions/{CountryA}/periods/{P}/forward", Access.CommissionOwn),
        ["POST periods/{id}/applications/{city}/decision"] = new(HttpMethod.Post, $"/api/v1/periods/{P}/applications/{A}/decision",
            Access.Coordinator, new { decision = "admit", reason = "R." }),
        ["POST periods/{id}/close"] = new(HttpMethod.Post, $"/api/v1/periods/{P}/close", Access.Coordinator),
        ["POST periods"] = new(HttpMethod.Post, "/api/v1/periods", Access.Coordinator,
            new { id = "matrix-overlapping", opensAt = DateTimeOffset.UtcNow.AddDays(1) }),
        ["POST cities/import"] = new(HttpMethod.Post, "/api/v1/cities/import", Access.Coordinator,
            new[] { new { city = "Matrix Imported", country = CountryA, yearJoined = 2022 } }),
        ["POST awards/import"] = new(HttpMethod.Post, "/api/v1/awards/import", Access.Coordinator,
            new[] { new { edition = 2021, city = "Matrix Awarded", country = CountryA } }),
        ["POST awards"] = new(HttpMethod.Post, "/api/v1/awards", Access.Coordinator,
            new { cityId = A, year = DateTimeOffset.UtcNow.Year, citation = "C." }),
    };

    public static TheoryData<string, string, Outcome> Matrix()
    {
        var data = new TheoryData<string, string, Outcome>();
        foreach (var (routeName, route) in Routes)
        {
            foreach (var caller in Callers.Keys)
            {
                data.Add(routeName, caller, Expected(route, caller));
            }
        }

        return data;
    }

    [Fact]
    public void The_matrix_covers_every_route_and_caller()
    {
        Assert.Equal(31, Routes.Count);
        Assert.Equal(11, Callers.Count);
        Assert.Equal(341, Matrix().Count);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Route_answers_the_caller_as_its_access_rule_says(string routeName, string callerName, Outcome expected)
    {
        var route = Routes[routeName];
        var caller = Callers[callerName];
        using var response = await api.SendAsync(route.Method, route.Path, caller, route.Body, cancellationToken: TestContext.Current.CancellationToken);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var describe = $"{routeName} as {callerName}: {status} {text}";
        TestContext.Current.TestOutputHelper?.WriteLine(describe);

        Assert.True(status < 500, describe);
        switch (expected)
        {
            case Outcome.Unauthenticated:
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, describe);
                Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
                break;
            case Outcome.Forbidden:
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, describe);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(text).RootElement.GetProperty("code").GetString()), describe);
                break;
            default:
                Assert.True(status is not (401 or 403), describe);
                Assert.True(status is >= 200 and < 300 or >= 400 and < 500, describe);
                break;
        }
    }

    private static Outcome Expected(Route route, string callerName)
    {
        if (route.IsPublic)
        {
            return Outcome.Allowed;
        }

        var caller = Callers[callerName];
        if (caller == Caller.Anonymous || caller == Caller.InvalidToken)
        {
            return Outcome.Unauthenticated;
        }

        var scope = caller.Name switch
        {
            "coordinator" => Access.Coordinator,
            "commission-own-country" => Access.CommissionOwn,
            "mayor-own-city" => Access.MayorOwn,
            "representative-own-city" => Access.RepresentativeOwn,
            _ => Access.Public,
        };
        return scope != Access.Public && route.Access.HasFlag(scope) ? Outcome.Allowed : Outcome.Forbidden;
    }
}
