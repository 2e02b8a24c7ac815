using Gnlc.Applications;
using Gnlc.Events;
using Gnlc.Notices;
using Gnlc.Periods;

namespace Gnlc.State;

/// <summary>Persisted state of an application period grain (schema v1).</summary>
[GenerateSerializer, Alias("gnlc.PeriodState.v1")]
public sealed record PeriodState
{
    public const int CurrentSchema = 1;

    [Id(0)] public int SchemaVersion { get; init; } = CurrentSchema;
    [Id(1)] public long Version { get; init; }
    [Id(2)] public PeriodSchedule? Schedule { get; init; }
    [Id(3)] public long ScheduleVersion { get; init; }

    /// <summary>The last phase announced by an event; phase checks never read it, they compute from the schedule.</summary>
    [Id(4)] public PeriodPhase AnnouncedPhase { get; init; }
    [Id(5)] public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>
    /// Legacy: the tally before it moved to its own row (<see cref="PeriodTallyState"/>). No longer written; read once,
    /// by an activation that finds no tally row yet.
    /// </summary>
    [Id(6)] public IReadOnlyDictionary<string, TrackedApplication> Applications { get; init; } = PersistedCollections.EmptyMap<string, TrackedApplication>();
    [Id(7)] public IReadOnlyList<DomainEvent> PendingEvents { get; init; } = PersistedCollections.EmptyList<DomainEvent>();
}

/// <summary>
/// Persisted tally of a period's applications (schema v1): the latest status each application reported. Stored apart
/// from <see cref="PeriodState"/> (state name <c>period-tally</c>), so that a status notice, which every submission
/// and endorsement sends, neither rewrites the schedule's row nor waits for the period's other changes.
/// </summary>
[GenerateSerializer, Alias("gnlc.PeriodTallyState.v1")]
public sealed record PeriodTallyState
{
    public const int CurrentSchema = 1;

    [Id(0)] public int SchemaVersion { get; init; } = CurrentSchema;

    /// <summary>Moves by one per tallied change; the period's view version is the sum of this and the period's own.</summary>
    [Id(1)] public long Version { get; init; }
    [Id(2)] public IReadOnlyDictionary<string, TrackedApplication> Applications { get; init; } = PersistedCollections.EmptyMap<string, TrackedApplication>();
}

[GenerateSerializer, Alias("gnlc.TrackedApplication.v1")]
public sealed record TrackedApplication
{
    [Id(0)] public ApplicationStatus Status { get; init; }
    [Id(1)] public long Version { get; init; }
}

/// <summary>Persisted state of the period registry (schema v1): every schedule, and the pending hand-offs.</summary>
[GenerateSerializer, Alias("gnlc.PeriodRegistryState.v1")]
public sealed record PeriodRegistryState
{
    public const int CurrentSchema = 1;

    [Id(0)] public int SchemaVersion { get; init; } = CurrentSchema;
    [Id(1)] public long Version { get; init; }
    [Id(2)] public IReadOnlyDictionary<string, PeriodSchedule> Periods { get; init; } = PersistedCollections.EmptyMap<string, PeriodSchedule>();
    [Id(3)] public IReadOnlyDictionary<string, ScheduleNotice> PendingSchedules { get; init; } = PersistedCollections.EmptyMap<string, ScheduleNotice>();
}
