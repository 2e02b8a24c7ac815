using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Gnlc.Api.Http;
using Gnlc.Applications;

namespace Gnlc.Api.Endpoints.Requests;

/// <summary>The contact person of an application.</summary>
public sealed record FocalPointRequest(string? Name = null, string? Email = null);

/// <summary>A strategy for each of the six building blocks of the Beijing Declaration.</summary>
public sealed record BuildingBlocksRequest(
    string? InclusiveLearningInEducation = null,
    string? LearningInFamiliesAndCommunities = null,
    string? LearningForAndInTheWorkplace = null,
    string? ModernLearningTechnologies = null,
    string? QualityInLearning = null,
    string? CultureOfLearningThroughoutLife = null);

/// <summary>The three fundamental conditions of the Key Features.</summary>
public sealed record FundamentalConditionsRequest(
    string? PoliticalWillAndCommitment = null,
    string? GovernanceAndParticipation = null,
    string? MobilizationOfResources = null);

/// <summary>
/// Body of <c>PUT /cities/{cityId}/applications/{periodId}</c>: the draft form. A draft may be
/// incomplete; submission requires every text (the grain refuses <c>application-incomplete</c>).
/// </summary>
public sealed record ApplicationFormRequest : IBindableFromHttpContext<ApplicationFormRequest>
{
    public long? Population { get; init; }

    public FocalPointRequest? FocalPoint { get; init; }

    public string? Motivation { get; init; }

    public BuildingBlocksRequest? BuildingBlocks { get; init; }

    public FundamentalConditionsRequest? FundamentalConditions { get; init; }

    public static ValueTask<ApplicationFormRequest?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<ApplicationFormRequest>(context);

    public ApplicationForm ToForm() => new(
        Population,
        FocalPoint is { } focal ? new FocalPoint(focal.Name, focal.Email) : null,
        Motivation,
        BuildingBlocks is { } blocks
            ? new BuildingBlocks(
                blocks.InclusiveLearningInEducation, blocks.LearningInFamiliesAndCommunities, blocks.LearningForAndInTheWorkplace,
                blocks.ModernLearningTechnologies, blocks.QualityInLearning, blocks.CultureOfLearningThroughoutLife)
            : null,
        FundamentalConditions is { } conditions
            ? new FundamentalConditions(conditions.PoliticalWillAndCommitment, conditions.GovernanceAndParticipation, conditions.MobilizationOfResources)
            : null);
}

/// <summary>Body of <c>POST .../mayor-endorsement</c>: the mayor's formal statement.</summary>
public sealed record MayorEndorsementRequest : IBindableFromHttpContext<MayorEndorsementRequest>
{
    [Required]
    public string? Statement { get; init; }

    public static ValueTask<MayorEndorsementRequest?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<MayorEndorsementRequest>(context);

    public RequestErrors Validate(RequestErrors errors) => errors.Required(Statement, "statement");
}

/// <summary>Body of <c>POST /periods/{periodId}/applications/{cityId}/decision</c>.</summary>
public sealed record DecisionRequest : IBindableFromHttpContext<DecisionRequest>
{
    /// <summary><c>admit</c> or <c>decline</c>.</summary>
    [Required]
    public string? Decision { get; init; }

    [Required]
    public string? Reason { get; init; }

    public static ValueTask<DecisionRequest?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<DecisionRequest>(context);

    public RequestErrors Validate(RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Decision is null)
        {
            errors.Required(Decision, "decision");
        }
        else if (ParseDecision(Decision) is null)
        {
            errors.Add("decision", "decision must be 'admit' or 'decline'.");
        }

        return errors.Required(Reason, "reason");
    }

    public DecideApplication ToCommand() => new(ParseDecision(Decision)!.Value, Reason!);

    private static Decision? ParseDecision(string? text) => text?.ToUpperInvariant() switch
    {
        "ADMIT" => Applications.Decision.Admit,
        "DECLINE" => Applications.Decision.Decline,
        _ => null,
    };
}
