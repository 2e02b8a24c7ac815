using Gnlc.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gnlc.Api.Http;

/// <summary>
/// Collects the shape errors of a request (field → messages) and answers them as one 400 validation
/// problem. Shape only: ids, required fields, ranges and formats; every domain rule is the grains'.
/// </summary>
public sealed class RequestErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public RequestErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
        return this;
    }

    public RequestErrors Required(object? value, string field)
    {
        if (value is null)
        {
            Add(field, $"'{field}' is required.");
        }

        return this;
    }

    public RequestErrors CityId(string? cityId, string field = "cityId")
    {
        if (!GrainKeys.IsCityId(cityId))
        {
            Add(field, "Not a city id: a country code, a hyphen and lowercase letters, digits and hyphens, e.g. 'ie-dublin'.");
        }

        return this;
    }

    public RequestErrors PeriodId(string? periodId, string field = "periodId")
    {
        try
        {
            GrainKeys.PeriodId(periodId);
        }
        catch (DomainException)
        {
            Add(field, "Not a period id: 1–32 lowercase letters, digits and hyphens, e.g. '2027' or '2027-autumn'.");
        }

        return this;
    }

    public RequestErrors Country(string? country, string field = "country")
    {
        var code = country?.Trim();
        if (code is not { Length: 2 } || !char.IsAsciiLetter(code[0]) || !char.IsAsciiLetter(code[1]))
        {
            Add(field, "Not an ISO 3166-1 alpha-2 country code such as 'IE'.");
        }

        return this;
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public ValidationProblem Problem() =>
        TypedResults.ValidationProblem(
            ToDictionary(),
            title: "Invalid request",
            detail: "The request has invalid fields: " + string.Join(", ", _errors.Keys) + ".");
}
