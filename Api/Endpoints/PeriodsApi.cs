using System.Security.Claims;
using Gnlc.Api.Auth;
using Gnlc.Api.Endpoints.Requests;
using Gnlc.Api.Http;
using Gnlc.Periods;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gnlc.Api.Endpoints;

/// <summary>
/// A period as clients see it: its fixed schedule (windows as ISO-8601 durations with calendar months),
/// its phase now, the counts of its applications by status.
/// </summary>
public sealed record PeriodResponse(
    string Id,
    PeriodPhase Phase,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    DateTimeOffset EndorsementDeadline,
    string ApplicationWindow,
    string EndorsementWindow,
    int Quota,
    PeriodCounts Counts,
    DateTimeOffset? ClosedAt,
    long Version)
{
    public static PeriodResponse From(PeriodView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var schedule = view.Schedule;
        return new PeriodResponse(
            view.Id, view.Phase, schedule.OpensAt, schedule.ClosesAt, schedule.EndorsementDeadline,
            schedule.ApplicationWindow.ToString(), schedule.EndorsementWindow.ToString(), schedule.Quota,
            view.Counts, view.ClosedAt, view.Version);
    }
}

/// <summary>Application periods: the calendar, one period, scheduling and closing.</summary>
public static class PeriodsApi
{
    public static RouteGroupBuilder MapPeriodsEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var periods = v1.MapGroup("/periods").WithTags("Periods");

        periods.MapGet("/", ListPeriods)
            .WithName("ListPeriods")
            .WithSummary("Every period with its schedule, phase and counts, by opening date, a page at a time.")
            .AllowAnonymous()
            .ProducesRequestProblems();

        periods.MapPost("/", SchedulePeriod)
            .WithName("SchedulePeriod")
            .WithSummary("Schedule a period (coordinator): opensAt now or later; windows P2M and P1M and quota 3 by default.")
            .RequireActor()
            .AcceptsJson<SchedulePeriodRequest>()
            .ProducesDomainProblems(StatusCodes.Status409Conflict);

        periods.MapGet("/{periodId}", GetPeriod)
            .WithName("GetPeriod")
            .WithSummary("A period's schedule, phase and counts (with ETag).")
            .AllowAnonymous()
            .ProducesRequestProblems()
            .ProducesProblem(StatusCodes.Status404NotFound);

        periods.MapPost("/{periodId}/close", ClosePeriod)
            .WithName("ClosePeriod")
            .WithSummary("Close a period in Review once every forwarded application is decided (coordinator; honours If-Match).")
            .RequireActor()
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed);

        return v1;
    }

    public static async Task<Results<Ok<Paged<PeriodResponse>>, ValidationProblem>> ListPeriods(int? page, int? pageSize, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = new RequestErrors();
        var (p, size) = Paging.Validate(page, pageSize, errors);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var all = await cluster.GetGrain<IPeriodRegistryGrain>(GrainKeys.PeriodRegistry).ListAsync();
        return TypedResults.Ok(Paging.Of(all.Select(PeriodResponse.From).ToList(), p, size));
    }

    public static async Task<Results<Created<PeriodResponse>, ValidationProblem>> SchedulePeriod(
        SchedulePeriodRequest request, ClaimsPrincipal user, HttpContext http, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = request.Validate(new RequestErrors());
        if (errors.Any)
        {
            return errors.Problem();
        }

        var view = await cluster.GetGrain<IPeriodRegistryGrain>(GrainKeys.PeriodRegistry).ScheduleAsync(user.Actor(), request.ToCommand());
        ETags.Set(http, view.Version);
        return TypedResults.Created($"/api/v1/periods/{view.Id}", PeriodResponse.From(view));
    }

    public static async Task<Results<Ok<PeriodResponse>, ValidationProblem>> GetPeriod(string periodId, HttpContext http, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = new RequestErrors().PeriodId(periodId);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var view = await cluster.GetGrain<IApplicationPeriodGrain>(GrainKeys.Period(periodId)).GetAsync();
        ETags.Set(http, view.Version);
        return TypedResults.Ok(PeriodResponse.From(view));
    }

    public static async Task<Results<Ok<PeriodResponse>, ValidationProblem, ProblemHttpResult>> ClosePeriod(
        string periodId, ClaimsPrincipal user, HttpContext http, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = new RequestErrors().PeriodId(periodId);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var period = cluster.GetGrain<IApplicationPeriodGrain>(GrainKeys.Period(periodId));
        if (await ETags.CheckIfMatchAsync(http, async () => (await period.GetAsync()).Version) is { } failed)
        {
            return failed;
        }

        var view = await period.CloseAsync(user.Actor());
        ETags.Set(http, view.Version);
        return TypedResults.Ok(PeriodResponse.From(view));
    }
}
