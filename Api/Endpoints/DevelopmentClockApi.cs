using Gnlc.Api.Endpoints.Requests;
using Gnlc.Api.Http;
using Gnlc.Time;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gnlc.Api.Endpoints;

/// <summary>Response of <c>GET /dev/clock</c>: the cluster's time.</summary>
public sealed record ClockResponse(DateTimeOffset Now);

/// <summary>The cluster's test clock (Development only: mapped nowhere else).</summary>
public static class DevelopmentClockApi
{
    public static RouteGroupBuilder MapDevelopmentClockEndpoints(this RouteGroupBuilder dev)
    {
        ArgumentNullException.ThrowIfNull(dev);
        dev.MapGet("/clock", GetClock)
            .WithName("GetTestClock")
            .WithSummary("The cluster's time, test-clock offset included (Development only).")
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        dev.MapPost("/clock", AdvanceClock)
            .WithName("AdvanceTestClock")
            .WithSummary("Move the cluster clock forward by an ISO-8601 duration and process every deadline now due (Development only).")
            .AllowAnonymous()
            .AcceptsJson<AdvanceClockRequest>()
            .ProducesRequestProblems()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return dev;
    }

    public static async Task<Ok<ClockResponse>> GetClock(IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return TypedResults.Ok(new ClockResponse(await cluster.GetGrain<IClockGrain>(GrainKeys.Clock).GetNowAsync()));
    }

    public static async Task<Results<Ok<ClockAdvanced>, ValidationProblem>> AdvanceClock(AdvanceClockRequest request, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = request.Validate(new RequestErrors());
        if (errors.Any)
        {
            return errors.Problem();
        }

        return TypedResults.Ok(await cluster.GetGrain<IClockGrain>(GrainKeys.Clock).AdvanceByAsync(request.ToDuration()));
    }
}
