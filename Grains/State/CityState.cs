using Gnlc.Cities;
using Gnlc.Events;
using Gnlc.Network;

namespace Gnlc.State;

/// <summary>Persisted state of a city grain (schema v1). Outbox: events and the latest directory summary.</summary>
[GenerateSerializer, Alias("gnlc.CityState.v1")]
public sealed record CityState
{
    public const int CurrentSchema = 1;

    [Id(0)] public int SchemaVersion { get; init; } = CurrentSchema;
    [Id(1)] public long Version { get; init; }
    [Id(2)] public bool Registered { get; init; }
    [Id(3)] public string Id { get; init; } = string.Empty;
    [Id(4)] public string Name { get; init; } = string.Empty;
    [Id(5)] public string Country { get; init; } = string.Empty;
    /// <summary>Inhabitants; null where unknown (an imported member whose population the data does not give).</summary>
    [Id(6)] public long? Population { get; init; }

    /// <summary>Null where unknown (an imported member).</summary>
    [Id(7)] public string? Mayor { get; init; }
    [Id(8)] public CityStatus Status { get; init; }
    [Id(9)] public DateTimeOffset? MemberSince { get; init; }
    [Id(10)] public IReadOnlyList<string> Representatives { get; init; } = PersistedCollections.NoItems<string>();
    [Id(11)] public DateTimeOffset? NextReportDue { get; init; }
    [Id(12)] public IReadOnlyList<ProgressReport> Reports { get; init; } = PersistedCollections.NoItems<ProgressReport>();
    [Id(13)] public IReadOnlyList<Award> Awards { get; init; } = PersistedCollections.NoItems<Award>();
    [Id(14)] public string? StatusReason { get; init; }

    /// <summary>Periods whose admission was applied: an admission notice is applied once.</summary>
    [Id(15)] public IReadOnlyList<string> Admissions { get; init; } = PersistedCollections.NoItems<string>();

    [Id(16)] public IReadOnlyList<DomainEvent> PendingEvents { get; init; } = PersistedCollections.NoItems<DomainEvent>();
    [Id(17)] public CitySummary? PendingSummary { get; init; }

    /// <summary>
    /// This state without what every activation would otherwise hold its own copy of: empty lists become the shared
    /// empty list and the country code the one interned string. Applied to a state read from storage, whose
    /// deserializer allocates a new empty list per field (a registered candidate has five) and a new "ie" per city.
    /// </summary>
    public CityState Compact() => this with
    {
        Country = string.Intern(Country),
        Representatives = Representatives.SharedIfEmpty(),
        Reports = Reports.SharedIfEmpty(),
        Awards = Awards.SharedIfEmpty(),
        Admissions = Admissions.SharedIfEmpty(),
        PendingEvents = PendingEvents.SharedIfEmpty(),
    };
}
