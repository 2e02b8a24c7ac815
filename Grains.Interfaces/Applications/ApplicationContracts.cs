namespace Gnlc.Applications;

/// <summary>Statuses of a membership application (DOMAIN.md "Membership application").</summary>
public enum ApplicationStatus
{
    Draft,
    Submitted,
    Endorsed,
    Forwarded,
    Admitted,
    Declined,
    NotEndorsed,
}

/// <summary>The contact person of the application.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.FocalPoint")]
public sealed record FocalPoint(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Email);

/// <summary>A strategy for each of the six building blocks of the Beijing Declaration.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.BuildingBlocks")]
public sealed record BuildingBlocks(
    [property: Id(0)] string? InclusiveLearningInEducation,
    [property: Id(1)] string? LearningInFamiliesAndCommunities,
    [property: Id(2)] string? LearningForAndInTheWorkplace,
    [property: Id(3)] string? ModernLearningTechnologies,
    [property: Id(4)] string? QualityInLearning,
    [property: Id(5)] string? CultureOfLearningThroughoutLife);

/// <summary>The three fundamental conditions of the Key Features.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.FundamentalConditions")]
public sealed record FundamentalConditions(
    [property: Id(0)] string? PoliticalWillAndCommitment,
    [property: Id(1)] string? GovernanceAndParticipation,
    [property: Id(2)] string? MobilizationOfResources);

/// <summary>The application form (API.md "Bodies"): a draft may be incomplete, a submission may not.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.ApplicationForm")]
public sealed record ApplicationForm(
    [property: Id(0)] long? Population,
    [property: Id(1)] FocalPoint? FocalPoint,
    [property: Id(2)] string? Motivation,
    [property: Id(3)] BuildingBlocks? BuildingBlocks,
    [property: Id(4)] FundamentalConditions? FundamentalConditions)
{
    public static ApplicationForm Empty { get; } = new(null, null, null, null, null);
}

/// <summary>The mayor's formal endorsement of the form as it stood at <see cref="At"/>.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.MayorEndorsement")]
public sealed record MayorEndorsement(
    [property: Id(0)] string Statement,
    [property: Id(1)] DateTimeOffset At);

public enum Decision
{
    Admit,
    Decline,
}

/// <summary>The Coordination Team's decision on a forwarded application, with its reason.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.DecideApplication")]
public sealed record DecideApplication(
    [property: Id(0)] Decision Decision,
    [property: Id(1)] string Reason);

[GenerateSerializer, Immutable, Alias("gnlc.ApplicationView")]
public sealed record ApplicationView(
    [property: Id(0)] string PeriodId,
    [property: Id(1)] string CityId,
    [property: Id(2)] string Country,
    [property: Id(3)] ApplicationForm Form,
    [property: Id(4)] ApplicationStatus Status,
    [property: Id(5)] MayorEndorsement? MayorEndorsement,
    [property: Id(6)] DateTimeOffset? SubmittedAt,
    [property: Id(7)] DateTimeOffset? DecidedAt,
    [property: Id(8)] string? DecisionReason,
    [property: Id(9)] long Version);
