using Gnlc.Applications;
using Gnlc.Events;
using Gnlc.Notices;

namespace Gnlc.State;

/// <summary>Persisted state of an application grain (schema v1).</summary>
[GenerateSerializer, Alias("gnlc.ApplicationState.v1")]
public sealed record ApplicationState
{
    public const int CurrentSchema = 1;

    [Id(0)] public int SchemaVersion { get; init; } = CurrentSchema;
    [Id(1)] public long Version { get; init; }
    [Id(2)] public bool Created { get; init; }
    [Id(3)] public string PeriodId { get; init; } = string.Empty;
    [Id(4)] public string CityId { get; init; } = string.Empty;
    [Id(5)] public string Country { get; init; } = string.Empty;
    [Id(6)] public string CityName { get; init; } = string.Empty;
    [Id(7)] public ApplicationForm Form { get; init; } = ApplicationForm.Empty;
    [Id(8)] public ApplicationStatus Status { get; init; }
    [Id(9)] public MayorEndorsement? MayorEndorsement { get; init; }
    [Id(10)] public DateTimeOffset? SubmittedAt { get; init; }
    [Id(11)] public DateTimeOffset? DecidedAt { get; init; }
    [Id(12)] public string? DecisionReason { get; init; }

    /// <summary>Highest commission notice applied (receivers dedupe by the sender's version).</summary>
    [Id(13)] public long CommissionVersion { get; init; }

    [Id(14)] public IReadOnlyList<DomainEvent> PendingEvents { get; init; } = PersistedCollections.EmptyList<DomainEvent>();
    [Id(15)] public SubmissionNotice? PendingSubmission { get; init; }
    [Id(16)] public ApplicationStatusNotice? PendingPeriodStatus { get; init; }
    [Id(17)] public AdmissionNotice? PendingAdmission { get; init; }
}
