using System.Globalization;
using Gnlc.Api.Errors;
using Gnlc.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Gnlc.Api.Events;

/// <summary><c>GET /events</c>: live status changes as Server-Sent Events (API.md "Event feed").</summary>
public static class EventsEndpoints
{
    /// <summary>The header a reconnecting EventSource sends with the last <c>id</c> it received.</summary>
    public const string LastEventIdHeader = "Last-Event-ID";

    public static IEndpointRouteBuilder MapEventsEndpoints(this IEndpointRouteBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapGet("/events", StreamEvents)
            .WithName("StreamEvents")
            .WithSummary("Live status changes as Server-Sent Events, resumable with Last-Event-ID.")
            .WithDescription(
                "Each event has id (its log position), event (its type) and data (JSON: type, entityId, country, city, "
                + "period, status, occurredAt, version). Filters: country (ISO code), city (city id), period (period id), "
                + "types (comma-separated event types). A client that sends Last-Event-ID (or lastEventId for polyfills) "
                + "first receives, in order and without duplicates, the matching events it missed.")
            .WithTags("Events")
            .AllowAnonymous();
        return v1;
    }

    /// <summary>Validates the filters and the resume position; the stream itself is <see cref="EventStreamResult"/>.</summary>
    public static Results<EventStreamResult, ValidationProblem> StreamEvents(
        [FromQuery] string? country,
        [FromQuery] string? city,
        [FromQuery] string? period,
        [FromQuery] string[]? types,
        [FromQuery] string? lastEventId,
        [FromHeader(Name = LastEventIdHeader)] string? lastEventIdHeader)
    {
        var filter = EventFilter.Parse(country, city, period, types, out var errors);
        long? resumeAfter = null;
        // The header wins: a browser's EventSource sends it on every reconnection, the query only the first time.
        var resume = string.IsNullOrWhiteSpace(lastEventIdHeader) ? lastEventId : lastEventIdHeader;
        if (!string.IsNullOrWhiteSpace(resume))
        {
            if (long.TryParse(resume.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            {
                resumeAfter = position;
            }
            else
            {
                errors["lastEventId"] = [$"'{resume}' is not an event id of this feed (a non-negative integer)."];
            }
        }

        if (filter is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(
                errors,
                detail: "The event feed's filters or resume position are invalid.",
                title: "Invalid request",
                extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.InvalidQuery });
        }

        return new EventStreamResult(filter, resumeAfter);
    }
}
