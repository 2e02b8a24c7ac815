namespace Gnlc.Api.Tests.Support;

/// <summary>Who sends a request: a role with its scope, or no (or a broken) token.</summary>
public sealed record Caller(string Name, string? Role = null, string? Country = null, string? City = null, string? CityRole = null)
{
    public static Caller Anonymous { get; } = new("anonymous");

    /// <summary>A well-formed token signed with a key the API does not trust: 401.</summary>
    public static Caller InvalidToken { get; } = new("invalid-token", Role: "coordinator");

    /// <summary>A valid token whose claims name no role the API knows: authenticated, but no actor (403).</summary>
    public static Caller NoActor { get; } = new("no-actor", Role: "observer");

    public static Caller Coordinator { get; } = new("coordinator", "coordinator");

    public static Caller Commission(string country) => new($"commission-{country}", "commission", Country: country);

    public static Caller Mayor(string cityId) => new($"mayor-{cityId}", "city", City: cityId, CityRole: "mayor");

    public static Caller Representative(string cityId) => new($"representative-{cityId}", "city", City: cityId, CityRole: "representative");

    public override string ToString() => Name;
}
