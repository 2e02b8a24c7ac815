using System.Security.Claims;
using Gnlc.Api.Auth;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gnlc.Api.Tests.Security;

/// <summary>
/// The bearer token cache in front of the standard handler: an accepted token is not validated again until it expires
/// or the keys change; any other token string, an altered copy of an accepted one included, is validated in full.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private const string Issuer = "gnlc";
    private const string Audience = "gnlc-api";

    private static readonly SymmetricSecurityKey Key = AuthenticationSetup.SigningKey("the key of these tests, at least 32 bytes long");

    private readonly CountingHandler _inner = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task An_accepted_token_is_validated_once_and_each_request_gets_its_own_identity()
    {
        var cache = new ValidatedTokenCache(_inner, _time);
        var token = Token(DateTime.UtcNow.AddHours(1));

        var first = await cache.ValidateTokenAsync(token, Parameters());
        var second = await cache.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _inner.Calls);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal("mayor", second.ClaimsIdentity.FindFirst(GnlcClaims.CityRole)?.Value);
        Assert.Null(second.ClaimsIdentity.FindFirst("CITYROLE"));
        Assert.NotNull(second.SecurityToken);
    }

    [Fact]
    public async Task A_kept_token_is_validated_again_once_it_has_expired()
    {
        var cache = new ValidatedTokenCache(_inner, _time);
        var expires = DateTime.UtcNow.AddHours(1);
        var token = Token(expires);
        await cache.ValidateTokenAsync(token, Parameters());

        _time.SetUtcNow(new DateTimeOffset(expires).AddSeconds(1));
        await cache.ValidateTokenAsync(token, Parameters());

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task A_kept_token_is_validated_again_when_the_signing_key_changes()
    {
        var cache = new ValidatedTokenCache(_inner, _time);
        var token = Token(DateTime.UtcNow.AddHours(1));
        await cache.ValidateTokenAsync(token, Parameters());

        var rotated = Parameters(AuthenticationSetup.SigningKey("a new key replacing the old one, 32+ bytes"));
        var result = await cache.ValidateTokenAsync(token, rotated);

        Assert.False(result.IsValid);
        Assert.Equal(2, _inner.Calls);
        // And still refused on a second try: refusals are not kept, and the acceptance under the old key is not used.
        Assert.False((await cache.ValidateTokenAsync(token, rotated)).IsValid);
        Assert.Equal(3, _inner.Calls);
    }

    [Theory]
    [InlineData("tampered-signature")]
    [InlineData("tampered-payload")]
    [InlineData("unknown-key")]
    [InlineData("expired")]
    public async Task A_token_other_than_the_accepted_one_is_refused_while_that_one_is_kept(string kind)
    {
        var cache = new ValidatedTokenCache(_inner, _time);
        var accepted = Token(DateTime.UtcNow.AddHours(1));
        Assert.True((await cache.ValidateTokenAsync(accepted, Parameters())).IsValid);

        var hostile = kind switch
        {
            "tampered-signature" => Retouch(accepted, 2),
            "tampered-payload" => Retouch(accepted, 1),
            "unknown-key" => Token(DateTime.UtcNow.AddHours(1), AuthenticationSetup.SigningKey("a key the API has never been configured with")),
            _ => Token(DateTime.UtcNow.AddHours(-1), notBefore: DateTime.UtcNow.AddHours(-2)),
        };
        Assert.False((await cache.ValidateTokenAsync(hostile, Parameters())).IsValid);
        Assert.False((await cache.ValidateTokenAsync(hostile, Parameters())).IsValid);

        Assert.Equal(3, _inner.Calls);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task With_replay_detection_configured_every_use_is_validated()
    {
        var cache = new ValidatedTokenCache(_inner, _time);
        var token = Token(DateTime.UtcNow.AddHours(1));
        var parameters = Parameters();
        parameters.TokenReplayCache = new SeenTokens();
        parameters.ValidateTokenReplay = true;

        Assert.True((await cache.ValidateTokenAsync(token, parameters)).IsValid);
        Assert.False((await cache.ValidateTokenAsync(token, parameters)).IsValid);

        Assert.Equal(2, _inner.Calls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task More_tokens_than_the_capacity_start_the_cache_again()
    {
        var cache = new ValidatedTokenCache(_inner, _time, capacity: 2);
        var tokens = Enumerable.Range(0, 3).Select(i => Token(DateTime.UtcNow.AddHours(1), subject: "city-" + i)).ToArray();
        foreach (var token in tokens)
        {
            Assert.True((await cache.ValidateTokenAsync(token, Parameters())).IsValid);
        }

        Assert.True(cache.Count <= 2);
        Assert.True((await cache.ValidateTokenAsync(tokens[0], Parameters())).IsValid);
        Assert.Equal(4, _inner.Calls);
    }

    private static TokenValidationParameters Parameters(SecurityKey? key = null) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        ClockSkew = TimeSpan.Zero,
        RoleClaimType = GnlcClaims.Role,
        IssuerSigningKey = key ?? Key,
    };

    private static string Token(DateTime expires, SecurityKey? key = null, DateTime? notBefore = null, string subject = "city:ie-cork:mayor")
    {
        var from = notBefore ?? DateTime.UtcNow.AddMinutes(-1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([
                new Claim(GnlcClaims.Role, GnlcClaims.CityActor), new Claim(GnlcClaims.City, "ie-cork"),
                new Claim(GnlcClaims.CityRole, GnlcClaims.Mayor), new Claim("sub", subject)]),
            NotBefore = from,
            IssuedAt = from,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The token with one character of its payload (1) or signature (2) replaced.</summary>
    private static string Retouch(string token, int part)
    {
        var parts = token.Split('.');
        var text = parts[part].ToCharArray();
        text[4] = text[4] == 'A' ? 'B' : 'A';
        parts[part] = new string(text);
        return string.Join('.', parts);
    }

    /// <summary>A replay cache that remembers every token it was given.</summary>
    private sealed class SeenTokens : ITokenReplayCache
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public bool TryAdd(string securityToken, DateTime expiresOn) => _seen.Add(securityToken);

        public bool TryFind(string securityToken) => _seen.Contains(securityToken);
    }

    /// <summary>The standard handler, counting the validations it was asked for.</summary>
    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
        private int _calls;

        public int Calls => _calls;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _calls);
            return _handler.ValidateTokenAsync(token, validationParameters);
        }
    }
}
