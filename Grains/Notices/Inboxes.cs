using System.Collections.Immutable;
using Gnlc.Network;

namespace Gnlc.Notices;

// Grain-to-grain interfaces: how outboxes deliver. They live in Gnlc.Grains, not in the contracts,
// so clients cannot call them; every method is idempotent (the receiver dedupes by the sender's version).

[Alias("gnlc.ICommissionInbox")]
public interface ICommissionInbox : IGrainWithStringKey
{
    [Alias("receive-submission")]
    Task ReceiveSubmissionAsync(SubmissionNotice notice);
}

[Alias("gnlc.IApplicationInbox")]
public interface IApplicationInbox : IGrainWithStringKey
{
    [Alias("apply-commission-notice")]
    Task ApplyCommissionNoticeAsync(CommissionNotice notice);
}

[Alias("gnlc.IPeriodInbox")]
public interface IPeriodInbox : IGrainWithStringKey
{
    [Alias("apply-schedule")]
    Task ApplyScheduleAsync(ScheduleNotice notice);

    [Alias("apply-application-status")]
    Task ApplyApplicationStatusAsync(ApplicationStatusNotice notice);
}

[Alias("gnlc.ICityInbox")]
public interface ICityInbox : IGrainWithStringKey
{
    [Alias("admit")]
    Task AdmitAsync(AdmissionNotice notice);
}

/// <summary>The matches of one directory shard: their count and the head of them in directory order.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.ShardMatches")]
public sealed record ShardMatches(
    [property: Id(0)] int Total,
    [property: Id(1)] ImmutableArray<CitySummary> Items);

/// <summary>One country's directory (key <see cref="GrainKeys.DirectoryShard"/>).</summary>
[Alias("gnlc.IDirectoryShardGrain")]
public interface IDirectoryShardGrain : IGrainWithStringKey
{
    [Alias("upsert")]
    Task UpsertAsync(CitySummary summary);

    [Alias("query")]
    Task<ShardMatches> QueryAsync(DirectoryQuery query, int take);

    [Alias("awards")]
    Task<ImmutableArray<AwardListItem>> AwardsAsync(int? year);
}

/// <summary>The network's totals per country (key <see cref="GrainKeys.Network"/>).</summary>
[Alias("gnlc.INetworkGrain")]
public interface INetworkGrain : IGrainWithStringKey
{
    [Alias("apply-country-stats")]
    Task ApplyCountryStatsAsync(CountryStats stats);

    [Alias("stats")]
    Task<NetworkStats> GetStatsAsync();

    /// <summary>Countries with at least one city in the directory.</summary>
    [Alias("countries")]
    Task<ImmutableArray<string>> GetCountriesAsync();
}
