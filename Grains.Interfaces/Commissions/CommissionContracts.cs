using System.Collections.Immutable;
using Gnlc.Applications;

namespace Gnlc.Commissions;

/// <summary>An application as its National Commission sees it.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.CommissionApplication")]
public sealed record CommissionApplication(
    [property: Id(0)] string CityId,
    [property: Id(1)] string CityName,
    [property: Id(2)] ApplicationStatus Status,
    [property: Id(3)] DateTimeOffset SubmittedAt);

/// <summary>One commission's applications, endorsements and forwarding in one period.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.CommissionPeriodView")]
public sealed record CommissionPeriodView(
    [property: Id(0)] string Country,
    [property: Id(1)] string PeriodId,
    [property: Id(2)] ImmutableArray<CommissionApplication> Items,
    [property: Id(3)] int Quota,
    [property: Id(4)] int EndorsedCount,
    [property: Id(5)] DateTimeOffset? ForwardedAt,
    [property: Id(6)] long Version);
