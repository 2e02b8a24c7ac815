using System.Security.Claims;
using Gnlc.Api.Auth;
using Gnlc.Api.Endpoints.Requests;
using Gnlc.Api.Http;
using Gnlc.Commissions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gnlc.Api.Endpoints;

/// <summary>
/// What a National Commission sees of a period, and its endorsements and forwarding.
/// <c>items</c> is paged; the rest describes the commission's standing in the period.
/// </summary>
public sealed record CommissionApplicationsPage(
    IReadOnlyList<CommissionApplication> Items,
    int Page,
    int PageSize,
    int Total,
    string Country,
    string PeriodId,
    int Quota,
    int EndorsedCount,
    DateTimeOffset? ForwardedAt);

/// <summary>National Commissions: applications submitted to them, endorsements, forwarding.</summary>
public static class CommissionsApi
{
    public static RouteGroupBuilder MapCommissionsEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var commission = v1.MapGroup("/commissions/{country}/periods/{periodId}").WithTags("Commissions").RequireActor();

        commission.MapGet("/applications", ListApplications)
            .WithName("ListCommissionApplications")
            .WithSummary("Applications submitted to this commission in the period (that commission, the coordinator).")
            .ProducesDomainProblems(StatusCodes.Status404NotFound);

        commission.MapPost("/endorsements", Endorse)
            .WithName("EndorseApplication")
            .WithSummary("Endorse a city's submitted application, within the period's quota (that commission).")
            .AcceptsJson<EndorsementRequest>()
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        commission.MapDelete("/endorsements/{cityId}", Withdraw)
            .WithName("WithdrawEndorsement")
            .WithSummary("Withdraw an endorsement, before forwarding (that commission).")
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        commission.MapPost("/forward", Forward)
            .WithName("ForwardEndorsements")
            .WithSummary("Send the endorsed applications to the Coordination Team; final (that commission).")
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        return v1;
    }

    public static async Task<Results<Ok<CommissionApplicationsPage>, ValidationProblem>> ListApplications(
        string country, string periodId, int? page, int? pageSize, ClaimsPrincipal user, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = new RequestErrors().Country(country).PeriodId(periodId);
        var (p, size) = Paging.Validate(page, pageSize, errors);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var view = await Grain(cluster, country).GetApplicationsAsync(user.Actor(), periodId);
        return TypedResults.Ok(PageOf(view, p, size));
    }

    public static Task<Results<Ok<CommissionApplicationsPage>, ValidationProblem>> Endorse(
        string country, string periodId, EndorsementRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Act(country, periodId, request.Validate(new RequestErrors()), cluster,
            grain => grain.EndorseAsync(user.Actor(), periodId, request.CityId!));
    }

    public static Task<Results<Ok<CommissionApplicationsPage>, ValidationProblem>> Withdraw(
        string country, string periodId, string cityId, ClaimsPrincipal user, IClusterClient cluster) =>
        Act(country, periodId, new RequestErrors().CityId(cityId), cluster,
            grain => grain.WithdrawEndorsementAsync(user.Actor(), periodId, cityId));

    public static Task<Results<Ok<CommissionApplicationsPage>, ValidationProblem>> Forward(
        string country, string periodId, ClaimsPrincipal user, IClusterClient cluster) =>
        Act(country, periodId, new RequestErrors(), cluster, grain => grain.ForwardAsync(user.Actor(), periodId));

    private static async Task<Results<Ok<CommissionApplicationsPage>, ValidationProblem>> Act(
        string country, string periodId, RequestErrors errors, IClusterClient cluster, Func<INationalCommissionGrain, Task<CommissionPeriodView>> command)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (errors.Country(country).PeriodId(periodId).Any)
        {
            return errors.Problem();
        }

        var view = await command(Grain(cluster, country));
        return TypedResults.Ok(PageOf(view, 1, Paging.MaxPageSize));
    }

    private static INationalCommissionGrain Grain(IClusterClient cluster, string country) =>
        cluster.GetGrain<INationalCommissionGrain>(GrainKeys.Commission(country));

    private static CommissionApplicationsPage PageOf(CommissionPeriodView view, int page, int pageSize)
    {
        var items = Paging.Of(view.Items, page, pageSize);
        return new CommissionApplicationsPage(
            items.Items, items.Page, items.PageSize, items.Total, view.Country, view.PeriodId, view.Quota, view.EndorsedCount, view.ForwardedAt);
    }
}
