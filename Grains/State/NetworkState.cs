using Gnlc.Network;

namespace Gnlc.State;

/// <summary>Persisted state of one country's directory shard (schema v1): every city's latest summary, the durable side of the directory.</summary>
[GenerateSerializer, Alias("gnlc.DirectoryShardState.v1")]
public sealed record DirectoryShardState
{
    public const int CurrentSchema = 1;

    [Id(0)] public int SchemaVersion { get; init; } = CurrentSchema;
    [Id(1)] public long Version { get; init; }
    [Id(2)] public IReadOnlyDictionary<string, CitySummary> Cities { get; init; } = PersistedCollections.EmptyMap<string, CitySummary>();

    // Id 3 was the country totals pending for the network grain: the directory grain now counts them itself.
}

/// <summary>Persisted state of a deadline index shard (schema v1): grain id → next deadline.</summary>
[GenerateSerializer, Alias("gnlc.DeadlineIndexState.v1")]
public sealed record DeadlineIndexState
{
    public const int CurrentSchema = 1;

    [Id(0)] public int SchemaVersion { get; init; } = CurrentSchema;
    [Id(1)] public IReadOnlyDictionary<string, DateTimeOffset> Entries { get; init; } = PersistedCollections.EmptyMap<string, DateTimeOffset>();
}

/// <summary>Persisted state of the clock grain (schema v1): the durable test-clock offset.</summary>
[GenerateSerializer, Alias("gnlc.ClockState.v1")]
public sealed record ClockState
{
    public const int CurrentSchema = 1;

    [Id(0)] public int SchemaVersion { get; init; } = CurrentSchema;
    [Id(1)] public TimeSpan Offset { get; init; }
}
