using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gnlc.Api.Auth;
using Gnlc.Api.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gnlc.Api.Tests.Security;

/// <summary>
/// Hostile bearer tokens, over real HTTP: each kind of broken token is a 401 problem on a route that needs
/// a caller, and changes nothing; the same request with a well-formed token is accepted (the control).
/// </summary>
public sealed class HostileTokenTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    public static TheoryData<string> Kinds =>
    [
        "expired", "not-yet-valid", "wrong-issuer", "wrong-audience", "wrong-key", "alg-none",
        "tampered-payload", "tampered-signature", "no-expiry", "no-signature", "garbage", "empty", "wrong-scheme",
    ];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_hostile_token_is_refused_with_401_and_changes_nothing(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        var name = "Hostile " + ApiFixture.Unique();
        using var request = Register(name);
        if (kind == "wrong-scheme")
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("coordinator:secret")));
        }
        else
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Token(kind));
        }

        using var response = await api.Http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{kind}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unauthenticated", JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
        var directory = await api.GetAsync("/api/v1/cities?country=IE&q=" + Uri.EscapeDataString(name));
        Assert.Equal(0, directory.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_control_token_minted_the_same_way_is_accepted()
    {
        using var request = Register("Control " + ApiFixture.Unique());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("valid"));
        using var response = await api.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_copy_of_an_accepted_token_with_its_signature_altered_is_refused()
    {
        // The accepted token is kept by the token cache; the altered copy is another string, validated in full.
        var ct = TestContext.Current.CancellationToken;
        var token = Token("valid");
        using (var first = Register("Kept " + ApiFixture.Unique()))
        {
            first.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var accepted = await api.Http.SendAsync(first, ct);
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }

        var parts = token.Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[^1] ^= 0x01;
        var name = "Altered " + ApiFixture.Unique();
        using var second = Register(name);
        second.Headers.Authorization = new AuthenticationHeaderValue("Bearer", parts[0] + "." + parts[1] + "." + Base64UrlEncoder.Encode(signature));
        using var refused = await api.Http.SendAsync(second, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        // The accepted token was kept by the configured handler (the cache is the one in use), the altered one not.
        var handlers = api.Factory.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme).TokenHandlers;
        Assert.True(Assert.IsType<ValidatedTokenCache>(Assert.Single(handlers)).Count >= 1);
        var directory = await api.GetAsync("/api/v1/cities?country=IE&q=" + Uri.EscapeDataString(name));
        Assert.Equal(0, directory.GetProperty("total").GetInt32());
    }

    private static HttpRequestMessage Register(string name) =>
        new(HttpMethod.Post, new Uri("/api/v1/cities", UriKind.Relative))
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new { name, countryCode = "IE", population = 1000, mayor = "M" }), Encoding.UTF8, "application/json"),
        };

    private string Token(string kind)
    {
        var settings = api.Factory.Services.GetRequiredService<AuthSettings>();
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity([new Claim(GnlcClaims.Role, GnlcClaims.Coordinator), new Claim("sub", "coordinator")]),
            NotBefore = now,
            IssuedAt = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(AuthenticationSetup.SigningKey(settings.SigningKey!), SecurityAlgorithms.HmacSha256),
        };
        switch (kind)
        {
            case "expired":
                (descriptor.NotBefore, descriptor.IssuedAt, descriptor.Expires) = (now.AddHours(-3), now.AddHours(-3), now.AddHours(-1));
                break;
            case "not-yet-valid":
                (descriptor.NotBefore, descriptor.IssuedAt, descriptor.Expires) = (now.AddHours(1), now.AddHours(1), now.AddHours(2));
                break;
            case "wrong-issuer":
                descriptor.Issuer = "https://evil.example";
                break;
            case "wrong-audience":
                descriptor.Audience = "another-api";
                break;
            case "wrong-key":
                descriptor.SigningCredentials = new SigningCredentials(
                    AuthenticationSetup.SigningKey("a key this API has never been configured with, 32+ bytes"), SecurityAlgorithms.HmacSha256);
                break;
            case "alg-none":
                return Unsigned(descriptor, "none");
            case "no-signature":
                return Unsigned(descriptor, "HS256");
            case "no-expiry":
            {
                // Signed with the right key, but without exp: RequireExpirationTime refuses it.
                var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
                descriptor.Expires = null;
                return handler.CreateToken(descriptor);
            }

            case "tampered-payload":
            {
                // A city representative's valid token, its role rewritten to coordinator, signature kept.
                descriptor.Subject = new ClaimsIdentity([new Claim(GnlcClaims.Role, GnlcClaims.CityActor), new Claim("sub", "rep")]);
                var parts = new JsonWebTokenHandler().CreateToken(descriptor).Split('.');
                var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
                payload["role"] = GnlcClaims.Coordinator;
                return parts[0] + "." + Base64UrlEncoder.Encode(payload.ToJsonString()) + "." + parts[2];
            }

            case "tampered-signature":
            {
                var parts = new JsonWebTokenHandler().CreateToken(descriptor).Split('.');
                var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
                signature[0] ^= 0x01;
                return parts[0] + "." + parts[1] + "." + Base64UrlEncoder.Encode(signature);
            }

            case "garbage":
                return "not.a.token";
            case "empty":
                return string.Empty;
        }

        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>The token's header and payload with an empty signature, the header naming <paramref name="alg"/>.</summary>
    private static string Unsigned(SecurityTokenDescriptor descriptor, string alg)
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["iss"] = descriptor.Issuer,
            ["aud"] = descriptor.Audience,
            ["role"] = GnlcClaims.Coordinator,
            ["sub"] = "coordinator",
            ["nbf"] = EpochTime.GetIntDate(descriptor.NotBefore!.Value),
            ["exp"] = EpochTime.GetIntDate(descriptor.Expires!.Value),
        };
        return Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(payload.ToJsonString()) + ".";
    }
}
