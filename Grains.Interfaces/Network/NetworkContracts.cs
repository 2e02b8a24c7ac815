using System.Collections.Immutable;
using Gnlc.Cities;

namespace Gnlc.Network;

/// <summary>
/// A city's line in the directory, kept current by the city's own outbox. Stored in directory state, so
/// its awards are a plain list (immutable collections do not survive the default storage serializer).
/// Never changed once built (a change is a new summary), so Orleans passes it between grains of one silo uncopied.
/// </summary>
[GenerateSerializer, Immutable, Alias("gnlc.CitySummary")]
public sealed record CitySummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Country,
    [property: Id(3)] CityStatus Status,
    [property: Id(4)] long? Population,
    [property: Id(5)] DateTimeOffset? MemberSince,
    [property: Id(6)] IReadOnlyList<Award> Awards,
    [property: Id(7)] long Version)
{
    public int AwardsCount => Awards?.Count ?? 0;

    /// <summary>Members in the network's sense: admitted and neither suspended nor ended.</summary>
    public bool IsActiveMember => Status is CityStatus.Member or CityStatus.ReportOverdue;
}

/// <summary>Directory filter (API.md <c>GET /cities</c>); <see cref="Q"/> matches any part of the name, case-insensitively.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.DirectoryQuery")]
public sealed record DirectoryQuery(
    [property: Id(0)] string? Country = null,
    [property: Id(1)] CityStatus? Status = null,
    [property: Id(2)] string? Q = null,
    [property: Id(3)] int Page = 1,
    [property: Id(4)] int PageSize = 20)
{
    public const int MaxPageSize = 500;
}

[GenerateSerializer, Immutable, Alias("gnlc.DirectoryPage")]
public sealed record DirectoryPage(
    [property: Id(0)] ImmutableArray<CitySummary> Items,
    [property: Id(1)] int Page,
    [property: Id(2)] int PageSize,
    [property: Id(3)] int Total);

/// <summary>
/// The directory's state as a reader may cache it: <see cref="Generation"/> names the index's activation (a rebuilt
/// index starts counting again) and <see cref="Version"/> its changes since. Equal tags mean equal pages.
/// </summary>
[GenerateSerializer, Immutable, Alias("gnlc.DirectoryTag")]
public sealed record DirectoryTag([property: Id(0)] Guid Generation, [property: Id(1)] long Version);

/// <summary>A page with the tag it was computed at, or only the tag when the reader's cached page is still current.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.DirectoryPageResult")]
public sealed record DirectoryPageResult([property: Id(0)] DirectoryTag Tag, [property: Id(1)] DirectoryPage? Page);

/// <summary>
/// Network statistics, computed from stored city data (never hard-coded). <see cref="Inhabitants"/> sums the
/// members whose population is known; <see cref="MembersWithPopulation"/> says how many those are.
/// </summary>
[GenerateSerializer, Immutable, Alias("gnlc.NetworkStats")]
public sealed record NetworkStats(
    [property: Id(0)] int MemberCities,
    [property: Id(1)] int Countries,
    [property: Id(2)] long Inhabitants,
    [property: Id(3)] int Awardees,
    [property: Id(4)] int MembersWithPopulation = 0);

[GenerateSerializer, Immutable, Alias("gnlc.AwardListItem")]
public sealed record AwardListItem(
    [property: Id(0)] string CityId,
    [property: Id(1)] string CityName,
    [property: Id(2)] string Country,
    [property: Id(3)] int Year,
    [property: Id(4)] string Citation,
    [property: Id(5)] DateTimeOffset GrantedAt);
