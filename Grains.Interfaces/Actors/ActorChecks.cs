using Gnlc.Errors;

namespace Gnlc.Actors;

/// <summary>The checks of DOMAIN.md "Actors", each refusing with a Forbidden error of its own code.</summary>
public static class ActorChecks
{
    public static void RequireCoordinator(Actor? actor)
    {
        if (actor is null || !actor.IsCoordinator)
        {
            throw DomainErrors.Forbidden(ErrorCodes.CoordinatorOnly, "Only the GNLC Coordination Team may do this.");
        }
    }

    /// <summary>The National Commission of <paramref name="country"/>, and no other, may act.</summary>
    public static void RequireCommissionOf(Actor? actor, string country)
    {
        if (actor is null || actor.Role != ActorRole.Commission)
        {
            throw DomainErrors.Forbidden(ErrorCodes.CommissionOnly, "Only a National Commission may do this.");
        }

        if (!actor.IsCommissionOf(country))
        {
            throw DomainErrors.Forbidden(ErrorCodes.NotYourCountry, $"A commission acts only for its own country, not '{country}'.");
        }
    }

    /// <summary>The city itself (its mayor or an endorsed representative) may act.</summary>
    public static void RequireCity(Actor? actor, string cityId)
    {
        if (actor is null || actor.Role != ActorRole.City || actor.CityRole is null)
        {
            throw DomainErrors.Forbidden(ErrorCodes.CityOnly, "Only the city's mayor or representatives may do this.");
        }

        if (!actor.IsCity(cityId))
        {
            throw DomainErrors.Forbidden(ErrorCodes.NotYourCity, $"A city acts only for itself, not for '{cityId}'.");
        }
    }

    /// <summary>
    /// The city itself acts: its mayor, or a representative whose name is on the city's list of
    /// endorsed representatives (DOMAIN.md: a representative acts once the mayor has formally endorsed them).
    /// </summary>
    public static void RequireCityDelegate(Actor? actor, string cityId, IEnumerable<string> endorsedRepresentatives)
    {
        ArgumentNullException.ThrowIfNull(endorsedRepresentatives);
        RequireCity(actor, cityId);
        if (actor!.CityRole == CityRole.Representative
            && (string.IsNullOrWhiteSpace(actor.Name)
                || !endorsedRepresentatives.Contains(actor.Name.Trim(), StringComparer.OrdinalIgnoreCase)))
        {
            throw DomainErrors.Forbidden(
                ErrorCodes.RepresentativeNotEndorsed,
                $"Only a representative the mayor of '{cityId}' has endorsed may act for the city; '{actor.Name}' is not one.");
        }
    }

    /// <summary>Only the mayor endorses an application or a representative.</summary>
    public static void RequireMayor(Actor? actor, string cityId)
    {
        RequireCity(actor, cityId);
        if (actor!.CityRole != CityRole.Mayor)
        {
            throw DomainErrors.Forbidden(ErrorCodes.MayorOnly, "Only the mayor may do this.");
        }
    }
}
