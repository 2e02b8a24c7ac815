using System.Security.Claims;
using Gnlc.Api.Http;
using Microsoft.IdentityModel.Tokens;

namespace Gnlc.Api.Auth;

/// <summary>
/// The JwtBearer token handler, in front of the standard one: a token it has validated is validated again only when
/// it comes back after its expiry or after the signing keys changed, so that a client's repeated requests pay the
/// signature check, the JSON parse and the claim checks once per token, not once per request.
/// </summary>
/// <remarks>
/// <para>
/// Why: validating the bearer token (parse, HMAC, claims, lifetime, stored token) was about 7% of the Api's managed CPU
/// per application write in its profile, and clients send the same token until it expires (see docs/BENCHMARKS.md).
/// </para>
/// <para>
/// What is kept: only tokens the inner handler accepted, keyed by the exact token string (ordinal), so any other
/// string, even one character apart, goes through full validation. A kept token is accepted only before its
/// <c>exp</c> (the inner handler also tolerates the clock skew after it: from then on the token goes back to it, which
/// decides as before); its <c>nbf</c> was met when it was validated and time only moves on. It is accepted only while
/// the signing keys are the same objects as at validation: the configured key or key list, and, with an OpenID Connect
/// authority, the same configuration document (a refreshed document validates every token once more). Refused tokens
/// are never kept. At most <see cref="Capacity"/> tokens are kept; when full, the cache starts again. With a token
/// replay cache configured, nothing is kept: every use must reach it.
/// </para>
/// <para>
/// Every request gets its own copy of the kept identity, so nothing one request does to its principal reaches another.
/// </para>
/// </remarks>
public sealed class ValidatedTokenCache(TokenHandler inner, TimeProvider time, int capacity = ValidatedTokenCache.DefaultCapacity) : TokenHandler
{
    public const int DefaultCapacity = 10_000;

    /// <summary>Longer tokens are validated every time rather than kept (no client of ours sends one).</summary>
    public const int MaxKeptLength = 8 * 1024;

    private readonly BoundedCache<Validated> _kept = new(capacity);

    public int Capacity { get; } = capacity;

    /// <summary>How many tokens are kept now (tests and diagnostics).</summary>
    public int Count => _kept.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        if (validationParameters.TokenReplayCache is not null)
        {
            // Replay detection must see every use of a token: nothing is kept then.
            return await inner.ValidateTokenAsync(token, validationParameters).ConfigureAwait(false);
        }

        var configuration = validationParameters.ConfigurationManager is { } manager
            ? await manager.GetBaseConfigurationAsync(CancellationToken.None).ConfigureAwait(false)
            : null;
        var keys = new SigningKeys(validationParameters.IssuerSigningKey, validationParameters.IssuerSigningKeys, configuration);
        if (token is not null && _kept.TryGet(token, out var kept))
        {
            if (kept.Keys.IsSameAs(keys) && time.GetUtcNow().UtcDateTime < kept.Expires)
            {
                return kept.Result();
            }

            _kept.Remove(token, kept);
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters).ConfigureAwait(false);
        if (result.IsValid && token is { Length: <= MaxKeptLength } && Keep(result, keys) is { } validated)
        {
            _kept.Set(token, validated);
        }

        return result;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    public override int MaximumTokenSizeInBytes
    {
        get => inner.MaximumTokenSizeInBytes;
        set => inner.MaximumTokenSizeInBytes = value;
    }

    /// <summary>What to keep of an accepted token, or null when it cannot be kept (no expiry, no identity).</summary>
    private static Validated? Keep(TokenValidationResult result, SigningKeys keys)
    {
        var expires = result.SecurityToken?.ValidTo ?? DateTime.MinValue;
        if (expires == DateTime.MinValue || result.ClaimsIdentity is not { } identity)
        {
            return null;
        }

        return new Validated(identity.Clone(), result.SecurityToken!, result.Issuer, result.TokenType, expires, keys);
    }

    /// <summary>The keys a token was validated with, compared by reference: a new key object is a new key.</summary>
    private sealed class SigningKeys(SecurityKey? key, IEnumerable<SecurityKey>? keys, object? configuration)
    {
        public SecurityKey? Key { get; } = key;

        public IEnumerable<SecurityKey>? Keys { get; } = keys;

        public object? Configuration { get; } = configuration;

        public bool IsSameAs(SigningKeys other) =>
            ReferenceEquals(Key, other.Key) && ReferenceEquals(Keys, other.Keys) && ReferenceEquals(Configuration, other.Configuration);
    }

    private sealed class Validated(
        ClaimsIdentity identity, SecurityToken token, string? issuer, string? tokenType, DateTime expires, SigningKeys keys)
    {
        public DateTime Expires { get; } = expires;

        public SigningKeys Keys { get; } = keys;

        /// <summary>An accepted result for one request, with its own copy of the identity.</summary>
        public TokenValidationResult Result() => new()
        {
            IsValid = true,
            ClaimsIdentity = identity.Clone(),
            SecurityToken = token,
            Issuer = issuer,
            TokenType = tokenType,
        };
    }
}
