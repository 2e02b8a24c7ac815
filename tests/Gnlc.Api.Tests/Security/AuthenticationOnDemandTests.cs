using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Gnlc.Api.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gnlc.Api.Tests.Security;

/// <summary>The bearer handler runs once for a request with an Authorization header, never for one without.</summary>
public sealed class AuthenticationOnDemandTests : IAsyncLifetime
{
    private readonly Counter _handled = new();
    private readonly EmbeddedApiFactory _factory;

    public AuthenticationOnDemandTests()
    {
        _factory = new EmbeddedApiFactory(configureServices: services =>
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                options.Events ??= new JwtBearerEvents();
                options.Events.OnMessageReceived = _ =>
                {
                    _handled.Increment();
                    return Task.CompletedTask;
                };
            }));
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory.StartServer();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task An_anonymous_request_is_not_authenticated_and_a_protected_route_still_answers_401()
    {
        using var anonymous = _factory.CreateClient();
        using var open = await anonymous.GetAsync(new Uri("/api/v1/member-states", UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(0, _handled.Value);

        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        using var closed = await anonymous.PostAsync(new Uri("/api/v1/cities", UriKind.Relative), content, Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, closed.StatusCode);
        Assert.Contains(closed.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task A_request_with_a_token_is_authenticated_once()
    {
        using var coordinator = _factory.CreateClient();
        coordinator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MintToken(GnlcClaims.Coordinator));
        using var response = await coordinator.GetAsync(new Uri("/api/v1/member-states", UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _handled.Value);
    }

    [Fact]
    public async Task A_token_whose_claims_make_no_actor_is_still_403()
    {
        using var nobody = _factory.CreateClient();
        nobody.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MintToken("no-such-role"));
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        using var response = await nobody.PostAsync(new Uri("/api/v1/cities", UriKind.Relative), content, Cancellation);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private string MintToken(string role)
    {
        var settings = _factory.Services.GetRequiredService<AuthSettings>();
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity([new Claim(GnlcClaims.Role, role), new Claim("sub", "on-demand-test")]),
            NotBefore = now,
            Expires = now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(AuthenticationSetup.SigningKey(settings.SigningKey!), SecurityAlgorithms.HmacSha256),
        });
    }

    private sealed class Counter
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}
