using System.Collections.Immutable;

namespace Gnlc.Cities;

/// <summary>A city's membership status (DOMAIN.md "Entities").</summary>
public enum CityStatus
{
    /// <summary>Registered, not a member.</summary>
    Candidate,
    Member,

    /// <summary>A member whose progress report is past its due date.</summary>
    ReportOverdue,
    Suspended,
    Ended,
}

/// <summary>
/// Register a city (coordinator). <paramref name="MemberSince"/> imports an existing member, whose
/// <paramref name="Population"/> and <paramref name="Mayor"/> may be unknown (null); a candidate states both.
/// </summary>
[GenerateSerializer, Immutable, Alias("gnlc.RegisterCity")]
public sealed record RegisterCity(
    [property: Id(0)] string Name,
    [property: Id(1)] string CountryCode,
    [property: Id(2)] long? Population,
    [property: Id(3)] string? Mayor,
    [property: Id(4)] DateTimeOffset? MemberSince = null);

/// <summary>Update any of the profile fields; absent (null) fields stay unchanged.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.UpdateCityProfile")]
public sealed record UpdateCityProfile(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] long? Population = null,
    [property: Id(2)] string? Mayor = null);

/// <summary>File the progress report now due (API.md "Bodies"): a summary and answers per Key Features area.</summary>
[GenerateSerializer, Alias("gnlc.FileProgressReport")]
public sealed record FileProgressReport(
    [property: Id(0)] string Summary,
    [property: Id(1)] IReadOnlyDictionary<string, string>? KeyFeatures = null);

/// <summary>A filed report (stored in city state: a plain dictionary, see PersistedCollections).</summary>
[GenerateSerializer, Alias("gnlc.ProgressReport")]
public sealed record ProgressReport(
    [property: Id(0)] DateTimeOffset DueAt,
    [property: Id(1)] DateTimeOffset FiledAt,
    [property: Id(2)] string Summary,
    [property: Id(3)] IReadOnlyDictionary<string, string> KeyFeatures);

/// <summary>Grant the UNESCO Learning City Award (coordinator).</summary>
[GenerateSerializer, Immutable, Alias("gnlc.GrantAward")]
public sealed record GrantAward(
    [property: Id(0)] int Year,
    [property: Id(1)] string Citation);

[GenerateSerializer, Immutable, Alias("gnlc.Award")]
public sealed record Award(
    [property: Id(0)] int Year,
    [property: Id(1)] string Citation,
    [property: Id(2)] DateTimeOffset GrantedAt);

/// <summary>A city as clients see it.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.CityView")]
public sealed record CityView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Country,
    [property: Id(3)] long? Population,
    [property: Id(4)] string? Mayor,
    [property: Id(5)] CityStatus Status,
    [property: Id(6)] DateTimeOffset? MemberSince,
    [property: Id(7)] ImmutableArray<string> Representatives,
    [property: Id(8)] DateTimeOffset? NextReportDue,
    [property: Id(9)] ImmutableArray<ProgressReport> ProgressReports,
    [property: Id(10)] ImmutableArray<Award> Awards,
    [property: Id(11)] string? StatusReason,
    [property: Id(12)] long Version);
