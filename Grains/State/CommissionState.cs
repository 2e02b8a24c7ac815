using Gnlc.Applications;
using Gnlc.Events;
using Gnlc.Notices;
using Gnlc.Periods;

namespace Gnlc.State;

/// <summary>Persisted state of a National Commission grain (schema v1): the single owner of its quota.</summary>
[GenerateSerializer, Alias("gnlc.CommissionState.v1")]
public sealed record CommissionState
{
    public const int CurrentSchema = 1;

    [Id(0)] public int SchemaVersion { get; init; } = CurrentSchema;
    [Id(1)] public long Version { get; init; }
    [Id(2)] public string Country { get; init; } = string.Empty;
    [Id(3)] public IReadOnlyDictionary<string, CommissionPeriod> Periods { get; init; } = PersistedCollections.EmptyMap<string, CommissionPeriod>();
    [Id(4)] public IReadOnlyList<DomainEvent> PendingEvents { get; init; } = PersistedCollections.EmptyList<DomainEvent>();

    /// <summary>Latest notice per application not yet acknowledged, keyed by application key.</summary>
    [Id(5)] public IReadOnlyDictionary<string, CommissionNotice> PendingNotices { get; init; } = PersistedCollections.EmptyMap<string, CommissionNotice>();
}

/// <summary>What a commission knows of one period: the schedule (fixed once open) and the applications.</summary>
[GenerateSerializer, Alias("gnlc.CommissionPeriod.v1")]
public sealed record CommissionPeriod
{
    [Id(0)] public string PeriodId { get; init; } = string.Empty;
    [Id(1)] public PeriodSchedule Schedule { get; init; } = null!;
    [Id(2)] public IReadOnlyDictionary<string, CommissionEntry> Applications { get; init; } = PersistedCollections.EmptyMap<string, CommissionEntry>();
    [Id(3)] public DateTimeOffset? ForwardedAt { get; init; }

    /// <summary>True once the endorsement deadline was processed (open applications ended NotEndorsed).</summary>
    [Id(4)] public bool DeadlineProcessed { get; init; }
}

/// <summary>One application as the commission tracks it; <see cref="Version"/> numbers its notices.</summary>
[GenerateSerializer, Alias("gnlc.CommissionEntry.v1")]
public sealed record CommissionEntry
{
    [Id(0)] public string CityId { get; init; } = string.Empty;
    [Id(1)] public string CityName { get; init; } = string.Empty;
    [Id(2)] public ApplicationStatus Status { get; init; }
    [Id(3)] public DateTimeOffset SubmittedAt { get; init; }
    [Id(4)] public long Version { get; init; }
}
