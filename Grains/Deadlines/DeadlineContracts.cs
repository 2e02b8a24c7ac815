using System.Collections.Immutable;

namespace Gnlc.Deadlines;

/// <summary>A grain with deadlines: its reminder and the test clock both call <see cref="ProcessDeadlinesAsync"/>.</summary>
[Alias("gnlc.IHasDeadlines")]
public interface IHasDeadlines : IGrainWithStringKey
{
    /// <summary>Re-checks now against the grain's schedule, processes everything due, delivers its outbox.</summary>
    [Alias("process-deadlines")]
    Task ProcessDeadlinesAsync();
}

/// <summary>A grain's next deadline, as registered in the index.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.DeadlineEntry")]
public sealed record DeadlineEntry(
    [property: Id(0)] string GrainId,
    [property: Id(1)] DateTimeOffset Due);

/// <summary>
/// One shard of the index of next deadlines (key <see cref="GrainKeys.DeadlineShard"/>): lets the test
/// clock find and fire every deadline that falls due when it moves, instead of waiting for reminders.
/// </summary>
[Alias("gnlc.IDeadlineIndexGrain")]
public interface IDeadlineIndexGrain : IGrainWithStringKey
{
    /// <summary>Records (or, with null, removes) a grain's next deadline.</summary>
    [Alias("set")]
    Task SetAsync(string grainId, DateTimeOffset? due);

    [Alias("due")]
    Task<ImmutableArray<DeadlineEntry>> GetDueAsync(DateTimeOffset until);
}
