using System.Security.Claims;
using Gnlc.Api.Auth;
using Gnlc.Api.Endpoints.Requests;
using Gnlc.Api.Http;
using Gnlc.Applications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gnlc.Api.Endpoints;

/// <summary>Membership applications: the city's draft, the mayor's endorsement, submission, the coordinator's decision.</summary>
public static class ApplicationsApi
{
    public static RouteGroupBuilder MapApplicationsEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var ofCity = v1.MapGroup("/cities/{cityId}/applications").WithTags("Applications").RequireActor();

        ofCity.MapPut("/{periodId}", SaveDraft)
            .WithName("SaveApplicationDraft")
            .WithSummary("Create or replace the draft form (the city); editing withdraws the mayor's endorsement (honours If-Match).")
            .AcceptsJson<ApplicationFormRequest>()
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed);

        ofCity.MapGet("/{periodId}", GetApplication)
            .WithName("GetApplication")
            .WithSummary("The form, status, cityId, periodId and mayorEndorsement (the city, its commission, the coordinator; with ETag).")
            .ProducesDomainProblems(StatusCodes.Status404NotFound);

        ofCity.MapPost("/{periodId}/mayor-endorsement", EndorseAsMayor)
            .WithName("EndorseApplicationAsMayor")
            .WithSummary("The mayor formally endorses the application as it stands (honours If-Match).")
            .AcceptsJson<MayorEndorsementRequest>()
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed);

        ofCity.MapPost("/{periodId}/submit", Submit)
            .WithName("SubmitApplication")
            .WithSummary("Submit the application to the National Commission (the city; honours If-Match).")
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed);

        v1.MapGroup("/periods/{periodId}/applications").WithTags("Applications").RequireActor()
            .MapPost("/{cityId}/decision", Decide)
            .WithName("DecideApplication")
            .WithSummary("Admit or decline a forwarded application, with a reason (coordinator; honours If-Match).")
            .AcceptsJson<DecisionRequest>()
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed);

        return v1;
    }

    public static async Task<Results<Ok<ApplicationView>, ValidationProblem, ProblemHttpResult>> SaveDraft(
        string cityId, string periodId, ApplicationFormRequest request, ClaimsPrincipal user, HttpContext http, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = new RequestErrors().CityId(cityId).PeriodId(periodId);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var actor = user.Actor();
        var application = Grain(cluster, periodId, cityId);
        // A PUT may create the draft: with If-Match and no draft yet, the precondition fails (412).
        if (await ETags.CheckIfMatchAsync(http, () => ETags.VersionOrNullAsync(async () => (await application.GetAsync(actor)).Version)) is { } failed)
        {
            return failed;
        }

        var view = await application.SaveDraftAsync(actor, request.ToForm());
        ETags.Set(http, view.Version);
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<ApplicationView>, ValidationProblem>> GetApplication(
        string cityId, string periodId, ClaimsPrincipal user, HttpContext http, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = new RequestErrors().CityId(cityId).PeriodId(periodId);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var view = await Grain(cluster, periodId, cityId).GetAsync(user.Actor());
        ETags.Set(http, view.Version);
        return TypedResults.Ok(view);
    }

    public static Task<Results<Ok<ApplicationView>, ValidationProblem, ProblemHttpResult>> EndorseAsMayor(
        string cityId, string periodId, MayorEndorsementRequest request, ClaimsPrincipal user, HttpContext http, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Change(cityId, periodId, request.Validate(new RequestErrors()), user, http, cluster,
            (application, actor) => application.EndorseAsMayorAsync(actor, request.Statement!));
    }

    public static Task<Results<Ok<ApplicationView>, ValidationProblem, ProblemHttpResult>> Submit(
        string cityId, string periodId, ClaimsPrincipal user, HttpContext http, IClusterClient cluster) =>
        Change(cityId, periodId, new RequestErrors(), user, http, cluster, (application, actor) => application.SubmitAsync(actor));

    public static Task<Results<Ok<ApplicationView>, ValidationProblem, ProblemHttpResult>> Decide(
        string periodId, string cityId, DecisionRequest request, ClaimsPrincipal user, HttpContext http, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = request.Validate(new RequestErrors());
        return Change(cityId, periodId, errors, user, http, cluster,
            (application, actor) => application.DecideAsync(actor, request.ToCommand()));
    }

    /// <summary>Validates the ids, honours If-Match against the application's version, runs the command, tags the result.</summary>
    private static async Task<Results<Ok<ApplicationView>, ValidationProblem, ProblemHttpResult>> Change(
        string cityId, string periodId, RequestErrors errors, ClaimsPrincipal user, HttpContext http, IClusterClient cluster,
        Func<IApplicationGrain, Gnlc.Actors.Actor, Task<ApplicationView>> command)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (errors.CityId(cityId).PeriodId(periodId).Any)
        {
            return errors.Problem();
        }

        var actor = user.Actor();
        var application = Grain(cluster, periodId, cityId);
        if (await ETags.CheckIfMatchAsync(http, async () => (await application.GetAsync(actor)).Version) is { } failed)
        {
            return failed;
        }

        var view = await command(application, actor);
        ETags.Set(http, view.Version);
        return TypedResults.Ok(view);
    }

    private static IApplicationGrain Grain(IClusterClient cluster, string periodId, string cityId) =>
        cluster.Reference<IApplicationGrain>(GrainKeys.Application(periodId, cityId));
}
