using System.Security.Claims;
using Gnlc.Actors;

namespace Gnlc.Api.Auth;

/// <summary>Builds the grains' <see cref="Actor"/> from a validated token: the grains decide what it may do.</summary>
public static class ActorClaims
{
    /// <summary>The caller as an actor, or null when the token's claims name no valid role.</summary>
    public static Actor? ToActor(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        return user.FindFirst(GnlcClaims.Role)?.Value switch
        {
            GnlcClaims.Coordinator => Actor.Coordinator,
            GnlcClaims.Commission when user.FindFirst(GnlcClaims.Country)?.Value is { Length: > 0 } country =>
                Actor.Commission(country),
            GnlcClaims.CityActor when user.FindFirst(GnlcClaims.City)?.Value is { Length: > 0 } city =>
                user.FindFirst(GnlcClaims.CityRole)?.Value switch
                {
                    GnlcClaims.Mayor => Actor.Mayor(city),
                    // The grains check this name against the city's endorsed representatives.
                    GnlcClaims.Representative => Actor.Representative(city, user.FindFirst(GnlcClaims.Name)?.Value),
                    _ => null,
                },
            _ => null,
        };
    }
}
