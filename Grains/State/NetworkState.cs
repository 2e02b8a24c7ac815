using Gnlc.Network;
using Gnlc.Notices;

namespace Gnlc.State;

/// <summary>Persisted state of one country's directory shard (schema v1).</summary>
[GenerateSerializer, Alias("gnlc.DirectoryShardState.v1")]
public sealed record DirectoryShardState
{
    public const int CurrentSchema = 1;

    [Id(0)] public int SchemaVersion { get; init; } = CurrentSchema;
    [Id(1)] public long Version { get; init; }
    [Id(2)] public IReadOnlyDictionary<string, CitySummary> Cities { get; init; } = PersistedCollections.EmptyMap<string, CitySummary>();
    [Id(3)] public CountryStats? PendingStats { get; init; }
}

/// <summary>Persisted state of the network grain (schema v1): per-country totals.</summary>
[GenerateSerializer, Alias("gnlc.NetworkState.v1")]
public sealed record NetworkState
{
    public const int CurrentSchema = 1;

    [Id(0)] public int SchemaVersion { get; init; } = CurrentSchema;
    [Id(1)] public IReadOnlyDictionary<string, CountryStats> Countries { get; init; } = PersistedCollections.EmptyMap<string, CountryStats>();
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
