namespace Gnlc.Api.Tests.Support;

/// <summary>Who sends a request: a role with its scope, or no (or a broken) token.</summary>
/// <remarks><paramref name="Person"/> is the token's <c>name</c> claim: a representative acts only under a name the mayor endorsed.</remarks>
public sealed record Caller(
    string Name, string? Role = null, string? Country = null, string? City = null, string? CityRole = null, string? Person = null)
{
    public static Caller Anonymous { get; } = new("anonymous");

    /// <summary>A well-formed token signed with a key the API does not trust: 401.</summary>
    public static Caller InvalidToken { get; } = new("invalid-token", Role: "coordinator");

    /// <summary>A valid token whose claims name no role the API knows: authenticated, but no actor (403).</summary>
    public static Caller NoActor { get; } = new("no-actor", Role: "observer");

    public static Caller Coordinator { get; } = new("coordinator", "coordinator");

    public static Caller Commission(string country) => new($"commission-{country}", "commission", Country: country);

    public static Caller Mayor(string cityId) => new($"mayor-{cityId}", "city", City: cityId, CityRole: "mayor");

    /// <summary>A representative of the city, known by <paramref name="person"/>: allowed once the mayor has endorsed that name.</summary>
    public static Caller Representative(string cityId, string person = DefaultRepresentative) =>
        new($"representative-{cityId}-{person}", "city", City: cityId, CityRole: "representative", Person: person);

    /// <summary>The representative name test fixtures endorse for their cities.</summary>
    public const string DefaultRepresentative = "Delegate";

    public override string ToString() => Name;
}
