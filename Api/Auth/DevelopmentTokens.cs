using System.Reflection;
using System.Security.Claims;
using Gnlc.Api.Endpoints;
using Gnlc.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gnlc.Api.Auth;

/// <summary>Request body of <c>POST /api/v1/dev/tokens</c>.</summary>
public sealed record DevelopmentTokenRequest(
    string? Role = null, string? Country = null, string? City = null, string? CityRole = null, string? Name = null)
    : IBindableFromHttpContext<DevelopmentTokenRequest>
{
    public static ValueTask<DevelopmentTokenRequest?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<DevelopmentTokenRequest>(context);
}

/// <summary>Response body of <c>POST /api/v1/dev/tokens</c>.</summary>
public sealed record DevelopmentTokenResponse(string Token);

/// <summary>Issues tokens signed with the development key. Mapped only in the Development environment.</summary>
public static class DevelopmentTokens
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static RouteGroupBuilder MapDevelopmentTokenEndpoints(this RouteGroupBuilder dev)
    {
        ArgumentNullException.ThrowIfNull(dev);
        dev.MapPost("/tokens", IssueToken)
            .WithName("IssueDevelopmentToken")
            .WithSummary("Issue a bearer token signed with the development key (Development only).")
            .AllowAnonymous()
            .AcceptsJson<DevelopmentTokenRequest>()
            .ProducesRequestProblems();
        return dev;
    }

    public static Results<Ok<DevelopmentTokenResponse>, ValidationProblem> IssueToken(
        DevelopmentTokenRequest request, AuthSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var claims = new List<Claim> { new(GnlcClaims.Role, request.Role!) };
        var subject = request.Role!;
        if (request.Country is { Length: > 0 } country)
        {
            claims.Add(new Claim(GnlcClaims.Country, country.ToUpperInvariant()));
            subject += ":" + country.ToUpperInvariant();
        }

        if (request.City is { Length: > 0 } city)
        {
            claims.Add(new Claim(GnlcClaims.City, city));
            claims.Add(new Claim(GnlcClaims.CityRole, request.CityRole!));
            subject += ":" + city + ":" + request.CityRole;
        }

        if (request.Name is { Length: > 0 } name)
        {
            claims.Add(new Claim(GnlcClaims.Name, name.Trim()));
        }

        claims.Add(new Claim("sub", subject));
        var now = time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now,
            IssuedAt = now,
            Expires = now + Lifetime,
            SigningCredentials = new SigningCredentials(
                AuthenticationSetup.SigningKey(settings.SigningKey!), SecurityAlgorithms.HmacSha256),
        };
        return TypedResults.Ok(new DevelopmentTokenResponse(new JsonWebTokenHandler().CreateToken(descriptor)));
    }

    private static Dictionary<string, string[]> Validate(DevelopmentTokenRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        switch (request.Role)
        {
            case GnlcClaims.Coordinator:
                break;
            case GnlcClaims.Commission:
                if (request.Country is not { Length: 2 } || !request.Country.All(char.IsAsciiLetter))
                {
                    errors["country"] = ["A commission token needs the ISO 3166-1 alpha-2 country code."];
                }

                break;
            case GnlcClaims.CityActor:
                if (string.IsNullOrWhiteSpace(request.City))
                {
                    errors["city"] = ["A city token needs the city id."];
                }

                if (request.CityRole is not (GnlcClaims.Mayor or GnlcClaims.Representative))
                {
                    errors["cityRole"] = ["A city token needs cityRole 'mayor' or 'representative'."];
                }
                else if (request.CityRole == GnlcClaims.Representative && string.IsNullOrWhiteSpace(request.Name))
                {
                    errors["name"] = ["A representative's token needs the name the mayor endorsed."];
                }

                break;
            default:
                errors["role"] = ["role must be 'coordinator', 'commission' or 'city'."];
                break;
        }

        return errors;
    }
}
