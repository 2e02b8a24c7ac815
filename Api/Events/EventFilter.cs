using Gnlc.Errors;
using Gnlc.Events;
using Gnlc.Reference;

namespace Gnlc.Api.Events;

/// <summary>What one feed client asked for: every given criterion must match (an absent one matches anything).</summary>
public sealed record EventFilter(string? Country, string? City, string? Period, IReadOnlySet<DomainEventType>? Types)
{
    public static EventFilter All { get; } = new(null, null, null, null);

    public bool Matches(DomainEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        return (Country is null || string.Equals(evt.Country, Country, StringComparison.OrdinalIgnoreCase))
            && (City is null || string.Equals(evt.City, City, StringComparison.Ordinal))
            && (Period is null || string.Equals(evt.Period, Period, StringComparison.Ordinal))
            && (Types is null || Types.Contains(evt.Type));
    }

    /// <summary>
    /// Reads the query's filters. Country is an ISO 3166-1 alpha-2 code of a Member State (any case), city a city id,
    /// period a period id, types comma-separated <see cref="DomainEventType"/> names (any case, repeatable).
    /// </summary>
    /// <returns>The filter, or null with <paramref name="errors"/> naming each invalid field.</returns>
    public static EventFilter? Parse(string? country, string? city, string? period, string[]? types, out Dictionary<string, string[]> errors)
    {
        errors = [];
        string? countryCode = null;
        if (!string.IsNullOrWhiteSpace(country))
        {
            if (MemberStates.TryGet(country, out var state))
            {
                countryCode = state.Code.ToLowerInvariant();
            }
            else
            {
                errors["country"] = [$"'{country}' is not the ISO 3166-1 alpha-2 code of a UNESCO Member State or Associate Member."];
            }
        }

        string? cityId = null;
        if (!string.IsNullOrWhiteSpace(city))
        {
            cityId = city.Trim().ToLowerInvariant();
            if (!GrainKeys.IsCityId(cityId))
            {
                errors["city"] = [$"'{city}' is not a city id of the form 'ie-dublin'."];
            }
        }

        string? periodId = null;
        if (!string.IsNullOrWhiteSpace(period))
        {
            try
            {
                periodId = GrainKeys.PeriodId(period.Trim());
            }
            catch (DomainException exception)
            {
                errors["period"] = [exception.Message];
            }
        }

        HashSet<DomainEventType>? typeSet = null;
        foreach (var name in (types ?? []).SelectMany(t => (t ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            // Names only: Enum.TryParse would also take numbers ("3"), which are no contract.
            if (char.IsAsciiLetter(name[0]) && Enum.TryParse<DomainEventType>(name, ignoreCase: true, out var type) && Enum.IsDefined(type))
            {
                (typeSet ??= []).Add(type);
            }
            else
            {
                errors["types"] = [.. errors.GetValueOrDefault("types", []), $"'{name}' is not an event type; use names such as {nameof(DomainEventType.ApplicationSubmitted)}."];
            }
        }

        return errors.Count > 0 ? null : new EventFilter(countryCode, cityId, periodId, typeSet);
    }
}
