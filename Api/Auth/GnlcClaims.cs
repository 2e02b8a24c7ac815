namespace Gnlc.Api.Auth;

/// <summary>Claim names and values of GNLC tokens (API.md "Authentication").</summary>
public static class GnlcClaims
{
    public const string Role = "role";
    public const string Country = "country";
    public const string City = "city";
    public const string CityRole = "cityRole";

    /// <summary>The person's name (the standard OpenID Connect claim): a representative is known by it.</summary>
    public const string Name = "name";

    public const string Coordinator = "coordinator";
    public const string Commission = "commission";
    public const string CityActor = "city";

    public const string Mayor = "mayor";
    public const string Representative = "representative";
}
