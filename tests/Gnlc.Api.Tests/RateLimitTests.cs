using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Gnlc.Api.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gnlc.Api.Tests;

/// <summary>The built-in rate limiter: per identity, else per client address; 429 with Retry-After.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const int Permits = 3;
    private readonly EmbeddedApiFactory _factory = new(settings: new Dictionary<string, string>
    {
        ["RateLimiting:PermitLimit"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:WindowSeconds"] = "600",
    });

    public ValueTask InitializeAsync()
    {
        _factory.StartServer();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task A_caller_over_the_limit_gets_429_with_retry_after_and_others_are_not_slowed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = _factory.CreateClient();
        for (var i = 0; i < Permits; i++)
        {
            using var allowed = await anonymous.GetAsync(new Uri("/api/v1/member-states", UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await anonymous.GetAsync(new Uri("/api/v1/member-states", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(600));
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(ct));
        Assert.Equal("rate-limited", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());

        // An authenticated identity has a budget of its own, even from the same address.
        using var coordinator = _factory.CreateClient();
        coordinator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MintCoordinatorToken());
        using var other = await coordinator.GetAsync(new Uri("/api/v1/member-states", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    // Minted here (not through the token route, which the exhausted address could not reach).
    private string MintCoordinatorToken()
    {
        var settings = _factory.Services.GetRequiredService<AuthSettings>();
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity([new Claim(GnlcClaims.Role, GnlcClaims.Coordinator), new Claim("sub", "rate-limit-test")]),
            NotBefore = now,
            Expires = now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(AuthenticationSetup.SigningKey(settings.SigningKey!), SecurityAlgorithms.HmacSha256),
        });
    }
}
