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

/// <summary>One country's directory (key <see cref="GrainKeys.DirectoryShard"/>): the durable side of the directory.</summary>
[Alias("gnlc.IDirectoryShardGrain")]
public interface IDirectoryShardGrain : IGrainWithStringKey
{
    /// <summary>Stores the summary (unless it holds that version already), then hands it to the directory.</summary>
    [Alias("upsert")]
    Task UpsertAsync(CitySummary summary);

    /// <summary>Every summary the shard has stored: what the directory rebuilds itself from.</summary>
    [Alias("snapshot")]
    Task<ImmutableArray<CitySummary>> SnapshotAsync();
}

/// <summary>The directory's in-memory index (key <see cref="GrainKeys.Directory"/>), fed by the shards.</summary>
[Alias("gnlc.IDirectoryInbox")]
public interface IDirectoryInbox : IGrainWithStringKey
{
    /// <summary>Summaries a shard has stored; each is taken unless the index holds that version already.</summary>
    [Alias("apply-summaries")]
    Task ApplySummariesAsync(ImmutableArray<CitySummary> summaries);
}
