namespace Gnlc.Actors;

/// <summary>The role claim of an authenticated caller (API.md "Authentication").</summary>
public enum ActorRole
{
    Coordinator,
    Commission,
    City,
}

/// <summary>Who speaks for a city: the mayor, or a representative the mayor endorsed (a delegate).</summary>
public enum CityRole
{
    Mayor,
    Representative,
}

/// <summary>
/// The caller of a command, as its token's claims say. Grains check it against the rules of
/// DOMAIN.md "Actors"; the HTTP layer only builds it from the claims.
/// </summary>
[GenerateSerializer, Immutable, Alias("gnlc.Actor")]
public sealed record Actor(
    [property: Id(0)] ActorRole Role,
    [property: Id(1)] string? Country = null,
    [property: Id(2)] string? CityId = null,
    [property: Id(3)] CityRole? CityRole = null,
    [property: Id(4)] string? Name = null)
{
    public static Actor Coordinator { get; } = new(ActorRole.Coordinator);

    public static Actor Commission(string country) => new(ActorRole.Commission, Country: GrainKeys.NormalizeCountry(country));

    public static Actor Mayor(string cityId) => new(ActorRole.City, CityId: cityId, CityRole: Actors.CityRole.Mayor);

    /// <summary>A representative of a city, named as the mayor endorsed them (the token's <c>name</c> claim).</summary>
    public static Actor Representative(string cityId, string? name) =>
        new(ActorRole.City, CityId: cityId, CityRole: Actors.CityRole.Representative, Name: name);

    public bool IsCoordinator => Role == ActorRole.Coordinator;

    /// <summary>True when this actor is the National Commission of <paramref name="country"/> (case-insensitive).</summary>
    public bool IsCommissionOf(string country) =>
        Role == ActorRole.Commission && Country is not null && string.Equals(Country, country, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when this actor claims to speak for <paramref name="cityId"/> (the mayor, or a representative to check against the endorsed list).</summary>
    public bool IsCity(string cityId) =>
        Role == ActorRole.City && CityId is not null && string.Equals(CityId, cityId, StringComparison.Ordinal);

    public bool IsMayorOf(string cityId) => IsCity(cityId) && CityRole == Actors.CityRole.Mayor;
}
