using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Gnlc.Api.Http;
using Gnlc.Cities;

namespace Gnlc.Api.Endpoints.Requests;

/// <summary>Body of <c>POST /cities</c>: register a city (coordinator).</summary>
public sealed record RegisterCityRequest : IBindableFromHttpContext<RegisterCityRequest>
{
    [Required]
    public string? Name { get; init; }

    /// <summary>ISO 3166-1 alpha-2 code of the UNESCO Member State the city lies in.</summary>
    [Required]
    public string? CountryCode { get; init; }

    /// <summary>Inhabitants.</summary>
    [Required]
    public long? Population { get; init; }

    [Required]
    public string? Mayor { get; init; }

    public static ValueTask<RegisterCityRequest?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<RegisterCityRequest>(context);

    public RequestErrors Validate(RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Required(Name, "name").Required(Population, "population").Required(Mayor, "mayor");
        if (Name is not null && GrainKeys.Slug(Name).Length == 0)
        {
            errors.Add("name", "A city name needs Latin letters or digits to form its id.");
        }

        return CountryCode is null ? errors.Required(CountryCode, "countryCode") : errors.Country(CountryCode, "countryCode");
    }

    /// <summary>The city's id, <c>{iso2}-{slug}</c>; call once <see cref="Validate"/> found nothing.</summary>
    public string CityId() => GrainKeys.NewCityId(CountryCode!, Name!);

    public RegisterCity ToCommand() => new(Name!, CountryCode!, Population!.Value, Mayor!);
}

/// <summary>Body of <c>PATCH /cities/{cityId}</c>: any of the profile fields; absent (or null) fields stay unchanged.</summary>
public sealed record UpdateCityRequest : IBindableFromHttpContext<UpdateCityRequest>
{
    public string? Name { get; init; }

    public long? Population { get; init; }

    public string? Mayor { get; init; }

    public static ValueTask<UpdateCityRequest?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<UpdateCityRequest>(context);

    public UpdateCityProfile ToCommand() => new(Name, Population, Mayor);
}

/// <summary>Body of <c>POST /cities/{cityId}/progress-reports</c>.</summary>
public sealed record ProgressReportRequest : IBindableFromHttpContext<ProgressReportRequest>
{
    [Required]
    public string? Summary { get; init; }

    /// <summary>Area of focus of the Key Features → what the city did.</summary>
    public Dictionary<string, string>? KeyFeatures { get; init; }

    public static ValueTask<ProgressReportRequest?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<ProgressReportRequest>(context);

    public RequestErrors Validate(RequestErrors errors) => errors.Required(Summary, "summary");

    public FileProgressReport ToCommand() =>
        new(Summary!, KeyFeatures?.ToImmutableDictionary(StringComparer.Ordinal));
}

/// <summary>Body of <c>POST /cities/{cityId}/membership/suspend</c> and <c>/end</c>.</summary>
public sealed record MembershipChangeRequest : IBindableFromHttpContext<MembershipChangeRequest>
{
    [Required]
    public string? Reason { get; init; }

    public static ValueTask<MembershipChangeRequest?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<MembershipChangeRequest>(context);

    public RequestErrors Validate(RequestErrors errors) => errors.Required(Reason, "reason");
}

/// <summary>Body of <c>POST /awards</c>: grant the UNESCO Learning City Award (coordinator).</summary>
public sealed record GrantAwardRequest : IBindableFromHttpContext<GrantAwardRequest>
{
    [Required]
    public string? CityId { get; init; }

    /// <summary>Edition year.</summary>
    [Required]
    public int? Year { get; init; }

    [Required]
    public string? Citation { get; init; }

    public static ValueTask<GrantAwardRequest?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<GrantAwardRequest>(context);

    public RequestErrors Validate(RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (CityId is null)
        {
            errors.Required(CityId, "cityId");
        }
        else
        {
            errors.CityId(CityId);
        }

        return errors.Required(Year, "year").Required(Citation, "citation");
    }

    public GrantAward ToCommand() => new(Year!.Value, Citation!);
}
