using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Gnlc.Api.Http;
using Gnlc.Periods;
using Gnlc.Time;

namespace Gnlc.Api.Endpoints.Requests;

/// <summary>
/// Body of <c>POST /periods</c> (coordinator): windows are ISO-8601 durations with calendar months
/// (defaults <c>P2M</c> and <c>P1M</c>), quota defaults to 3.
/// </summary>
public sealed record SchedulePeriodRequest : IBindableFromHttpContext<SchedulePeriodRequest>
{
    /// <summary>1–32 lowercase letters, digits and hyphens, e.g. <c>2027</c> or <c>2027-autumn</c>.</summary>
    [Required]
    public string? Id { get; init; }

    /// <summary>The opening instant (ISO-8601 with offset); now or later.</summary>
    [Required]
    public DateTimeOffset? OpensAt { get; init; }

    /// <summary>ISO-8601 duration of the application window, e.g. <c>P2M</c>.</summary>
    public string? ApplicationWindow { get; init; }

    /// <summary>ISO-8601 duration of the commissions' window after it, e.g. <c>P1M</c>.</summary>
    public string? EndorsementWindow { get; init; }

    public int? Quota { get; init; }

    public static ValueTask<SchedulePeriodRequest?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<SchedulePeriodRequest>(context);

    public RequestErrors Validate(RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Id is null)
        {
            errors.Required(Id, "id");
        }
        else
        {
            errors.PeriodId(Id, "id");
        }

        errors.Required(OpensAt, "opensAt");
        Durations.Optional(ApplicationWindow, "applicationWindow", errors);
        Durations.Optional(EndorsementWindow, "endorsementWindow", errors);
        return errors;
    }

    public SchedulePeriod ToCommand() =>
        new(Id!, OpensAt!.Value, Durations.Optional(ApplicationWindow), Durations.Optional(EndorsementWindow), Quota);
}

/// <summary>Body of <c>POST /commissions/{country}/periods/{periodId}/endorsements</c>.</summary>
public sealed record EndorsementRequest : IBindableFromHttpContext<EndorsementRequest>
{
    [Required]
    public string? CityId { get; init; }

    public static ValueTask<EndorsementRequest?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<EndorsementRequest>(context);

    public RequestErrors Validate(RequestErrors errors) =>
        CityId is null ? errors.Required(CityId, "cityId") : errors.CityId(CityId);
}

/// <summary>Body of <c>POST /dev/clock</c>: how far to move the test clock (ISO-8601 duration, e.g. <c>P2M</c>, <c>P1DT2H</c>).</summary>
public sealed record AdvanceClockRequest : IBindableFromHttpContext<AdvanceClockRequest>
{
    [Required]
    public string? AdvanceBy { get; init; }

    public static ValueTask<AdvanceClockRequest?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        JsonBody.ReadAsync<AdvanceClockRequest>(context);

    public RequestErrors Validate(RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (AdvanceBy is null)
        {
            return errors.Required(AdvanceBy, "advanceBy");
        }

        if (Durations.Parse(AdvanceBy, "advanceBy", errors) is { } duration
            && (duration.Months > Durations.MaxMonths || duration.Days > Durations.MaxDays || duration.Time > Durations.MaxTime))
        {
            errors.Add("advanceBy", "advanceBy must be at most 100 years.");
        }

        return errors;
    }

    public CalendarDuration ToDuration() => CalendarDuration.Parse(AdvanceBy!);
}

/// <summary>ISO-8601 durations with calendar semantics (<see cref="CalendarDuration"/>): months stay months.</summary>
internal static class Durations
{
    public const int MaxMonths = 100 * 12;
    public const int MaxDays = 100 * 366;
    public static readonly TimeSpan MaxTime = TimeSpan.FromDays(MaxDays);

    public static CalendarDuration? Parse(string text, string field, RequestErrors errors)
    {
        if (CalendarDuration.TryParse(text, out var duration))
        {
            return duration;
        }

        errors.Add(field, $"'{field}' must be an ISO-8601 duration such as P2M or P1DT2H.");
        return null;
    }

    public static void Optional(string? text, string field, RequestErrors errors)
    {
        if (text is not null)
        {
            Parse(text, field, errors);
        }
    }

    public static CalendarDuration? Optional(string? text) => text is null ? null : CalendarDuration.Parse(text);
}
