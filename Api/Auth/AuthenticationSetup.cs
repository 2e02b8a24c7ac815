using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Gnlc.Api.Auth;

/// <summary>Standard JwtBearer validation against configured issuer, audience and keys (or an OIDC authority).</summary>
public static class AuthenticationSetup
{
    public static WebApplicationBuilder AddGnlcAuthentication(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = builder.Configuration.GetSection(AuthSettings.SectionName).Get<AuthSettings>() ?? new AuthSettings();
        if (settings.UsesDevelopmentKey && !builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"The development signing key is configured in the '{builder.Environment.EnvironmentName}' environment; "
                + "it is accepted only in Development. Configure Auth:Authority or a real Auth:SigningKey.");
        }

        if (string.IsNullOrWhiteSpace(settings.Authority) && string.IsNullOrWhiteSpace(settings.SigningKey))
        {
            throw new InvalidOperationException("Configure Auth:Authority (OpenID Connect) or Auth:SigningKey to validate bearer tokens.");
        }

        builder.Services.AddSingleton(settings);
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                // Keep claim names as issued ("role", "country", ...), not mapped to WS-* URIs.
                options.MapInboundClaims = false;
                // Each token's signature and claims are checked once, not on every request (ValidatedTokenCache). The
                // system clock, as the inner handler's: a development clock moved back must not stretch a token's life.
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(new ValidatedTokenCache(new JsonWebTokenHandler { MapInboundClaims = false }, TimeProvider.System));
                // Nothing reads the raw token back from the authentication properties: not storing it saves a dictionary per request.
                options.SaveToken = false;
                options.Authority = string.IsNullOrWhiteSpace(settings.Authority) ? null : settings.Authority;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ValidateIssuerSigningKey = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    RoleClaimType = GnlcClaims.Role,
                    NameClaimType = "sub",
                    IssuerSigningKey = string.IsNullOrWhiteSpace(settings.SigningKey)
                        ? null
                        : SigningKey(settings.SigningKey),
                };
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>
    /// The authentication middleware, run only for requests that carry an <c>Authorization</c> header: bearer tokens
    /// are the API's only credentials, and without one the JwtBearer handler finds nothing and leaves the caller
    /// anonymous, which the request already is. Challenges (401) and forbids (403) do not need it: authorization
    /// asks the default scheme itself.
    /// </summary>
    public static IApplicationBuilder UseGnlcAuthentication(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(static context => context.Request.Headers.ContainsKey(HeaderNames.Authorization), branch => branch.UseAuthentication());
        // UseAuthentication marks the branch's copy of the properties only; without the mark on the application itself,
        // WebApplication would add a second, unconditional authentication middleware in front of the pipeline.
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        return app;
    }

    // The key UseAuthentication sets and WebApplication checks before adding the middleware on its own.
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    // Likewise for UseAuthorization.
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    /// <summary>
    /// The authorization middleware, skipped for routes that allow anonymous callers and carry no authorization data
    /// (the city GET, the directory, the statistics): with no fallback policy it combines no policy for them and only
    /// passes the request on, after an async frame, a lookup of the caller and an items dictionary per request (about
    /// 1% of the anonymous city GET's samples). Every other request, and all of them if a fallback policy is set, goes
    /// through the standard middleware.
    /// </summary>
    public static IApplicationBuilder UseGnlcAuthorization(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy is not null)
        {
            return app.UseAuthorization();
        }

        app.UseWhen(static context => !AnonymousOnly(context.GetEndpoint()), branch => branch.UseAuthorization());
        app.Properties[AuthorizationMiddlewareSetKey] = true;
        return app;
    }

    private static bool AnonymousOnly(Endpoint? endpoint) =>
        endpoint is not null
        && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
        && endpoint.Metadata.GetMetadata<IAuthorizeData>() is null
        && endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is null
        && endpoint.Metadata.GetMetadata<IAuthorizationRequirementData>() is null;

    public static SymmetricSecurityKey SigningKey(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes long.");
        }

        return new SymmetricSecurityKey(bytes);
    }
}
