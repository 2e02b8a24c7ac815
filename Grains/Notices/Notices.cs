using Gnlc.Applications;
using Gnlc.Periods;

namespace Gnlc.Notices;

// Messages of the outboxes: one grain tells another about a change it committed. Each carries the
// sender's per-entity version so the receiver applies it once, whatever the number of redeliveries.

/// <summary>Application → National Commission: the city submitted (with the period's fixed schedule).</summary>
[GenerateSerializer, Immutable, Alias("gnlc.SubmissionNotice")]
public sealed record SubmissionNotice(
    [property: Id(0)] string PeriodId,
    [property: Id(1)] string CityId,
    [property: Id(2)] string CityName,
    [property: Id(3)] DateTimeOffset SubmittedAt,
    [property: Id(4)] PeriodSchedule Schedule,
    [property: Id(5)] long ApplicationVersion);

/// <summary>National Commission → application: its status as the commission decided it.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.CommissionNotice")]
public sealed record CommissionNotice(
    [property: Id(0)] string PeriodId,
    [property: Id(1)] string CityId,
    [property: Id(2)] ApplicationStatus Status,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] long Version,
    [property: Id(5)] string? Reason = null);

/// <summary>Application → period: the application's current status (latest wins).</summary>
[GenerateSerializer, Immutable, Alias("gnlc.ApplicationStatusNotice")]
public sealed record ApplicationStatusNotice(
    [property: Id(0)] string PeriodId,
    [property: Id(1)] string CityId,
    [property: Id(2)] ApplicationStatus Status,
    [property: Id(3)] long ApplicationVersion);

/// <summary>Application → city: the Coordination Team admitted it.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.AdmissionNotice")]
public sealed record AdmissionNotice(
    [property: Id(0)] string PeriodId,
    [property: Id(1)] string CityId,
    [property: Id(2)] DateTimeOffset AdmittedAt);

/// <summary>Registry → period: the schedule it recorded.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.ScheduleNotice")]
public sealed record ScheduleNotice(
    [property: Id(0)] PeriodSchedule Schedule,
    [property: Id(1)] long Version,
    [property: Id(2)] DateTimeOffset? ClosedAt = null);

/// <summary>One country's totals in the directory, from which the network's statistics are summed.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.CountryStats")]
public sealed record CountryStats(
    [property: Id(0)] string Country,
    [property: Id(1)] int Cities,
    [property: Id(2)] int MemberCities,
    [property: Id(3)] long Inhabitants,
    [property: Id(4)] int Awardees,
    [property: Id(5)] long Version,
    [property: Id(6)] int MembersWithPopulation = 0);
