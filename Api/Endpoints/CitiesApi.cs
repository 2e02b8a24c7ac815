using System.Security.Claims;
using Gnlc.Api.Auth;
using Gnlc.Api.Endpoints.Requests;
using Gnlc.Api.Http;
using Gnlc.Cities;
using Gnlc.Network;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gnlc.Api.Endpoints;

/// <summary>Cities: the directory, registration, profile, delegates, progress reports, membership.</summary>
public static class CitiesApi
{
    public static RouteGroupBuilder MapCitiesEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var cities = v1.MapGroup("/cities").WithTags("Cities");

        cities.MapGet("/", ListCities)
            .WithName("ListCities")
            .WithSummary("The directory: cities by country, status and any part of the name, a page at a time.")
            .AllowAnonymous()
            .Produces<DirectoryPage>(StatusCodes.Status200OK)
            .ProducesRequestProblems();

        cities.MapPost("/", RegisterCity)
            .WithName("RegisterCity")
            .WithSummary("Register a city (coordinator); its id is {iso2}-{slug} of its country and name.")
            .RequireActor()
            .AcceptsJson<RegisterCityRequest>()
            .ProducesDomainProblems(StatusCodes.Status409Conflict);

        cities.MapGet("/{cityId}", GetCity)
            .WithName("GetCity")
            .WithSummary("A city's profile, status, memberSince, representatives and next report due (with ETag).")
            .AllowAnonymous()
            // Every answer has a body (the city, a validation problem, or the exception handler's problem).
            .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute())
            .Produces<CityView>(StatusCodes.Status200OK)
            .ProducesRequestProblems()
            .ProducesProblem(StatusCodes.Status404NotFound);

        cities.MapPatch("/{cityId}", UpdateCity)
            .WithName("UpdateCity")
            .WithSummary("Update any of the profile fields name, population, mayor (the city; honours If-Match).")
            .RequireActor()
            .AcceptsJson<UpdateCityRequest>()
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed);

        cities.MapPut("/{cityId}/representatives/{name}", EndorseRepresentative)
            .WithName("EndorseRepresentative")
            .WithSummary("The mayor formally endorses a representative, who then acts as a delegate (honours If-Match).")
            .RequireActor()
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed);

        cities.MapPost("/{cityId}/progress-reports", FileProgressReport)
            .WithName("FileProgressReport")
            .WithSummary("File the progress report now due (the city; honours If-Match).")
            .RequireActor()
            .AcceptsJson<ProgressReportRequest>()
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed);

        cities.MapPost("/{cityId}/membership/suspend", SuspendMembership)
            .WithName("SuspendMembership")
            .WithSummary("Suspend a membership, with a reason (coordinator; honours If-Match).")
            .RequireActor()
            .AcceptsJson<MembershipChangeRequest>()
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed);

        cities.MapPost("/{cityId}/membership/end", EndMembership)
            .WithName("EndMembership")
            .WithSummary("End a membership, with a reason (coordinator; honours If-Match).")
            .RequireActor()
            .AcceptsJson<MembershipChangeRequest>()
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed);

        return v1;
    }

    public static async Task<Results<JsonBytesResult, ValidationProblem>> ListCities(
        string? country, string? status, string? q, int? page, int? pageSize, DirectoryPages pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var errors = new RequestErrors();
        if (country is not null)
        {
            errors.Country(country);
        }

        var cityStatus = ParseStatus(status, errors);
        var (p, size) = Paging.Validate(page, pageSize, errors);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var query = new DirectoryQuery(country, cityStatus, q, p, size);
        return new JsonBytesResult(await pages.JsonAsync(query));
    }

    public static async Task<Results<Created<CityView>, ValidationProblem>> RegisterCity(
        RegisterCityRequest request, ClaimsPrincipal user, HttpContext http, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = request.Validate(new RequestErrors());
        if (errors.Any)
        {
            return errors.Problem();
        }

        var cityId = request.CityId();
        var view = await cluster.City(cityId).RegisterAsync(user.Actor(), request.ToCommand());
        ETags.Set(http, view.Version);
        return TypedResults.Created($"/api/v1/cities/{view.Id}", view);
    }

    /// <summary>
    /// A plain <see cref="IResult"/>: the city's JSON comes from <see cref="CityJson"/>, the view from <see cref="CityReads"/>
    /// (embedded: the co-hosted silo's committed view, answered without an await when it is there).
    /// </summary>
    public static ValueTask<IResult> GetCity(string cityId, HttpContext http, CityReads cities, CityJson json)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(cities);
        ArgumentNullException.ThrowIfNull(json);
        if (!GrainKeys.IsCityId(cityId))
        {
            return ValueTask.FromResult<IResult>(new RequestErrors().CityId(cityId).Problem());
        }

        var read = cities.GetAsync(cityId);
        return read.IsCompletedSuccessfully
            ? ValueTask.FromResult<IResult>(CityResponse(http, json, read.Result))
            : AwaitCityAsync(http, json, read);
    }

    private static async ValueTask<IResult> AwaitCityAsync(HttpContext http, CityJson json, ValueTask<CityView> read) =>
        CityResponse(http, json, await read);

    private static JsonBytesResult CityResponse(HttpContext http, CityJson json, CityView view)
    {
        var city = json.Of(view);
        http.Response.Headers.ETag = city.ETag;
        return new JsonBytesResult(city.Json);
    }

    public static Task<Results<Ok<CityView>, ValidationProblem, ProblemHttpResult>> UpdateCity(
        string cityId, UpdateCityRequest request, ClaimsPrincipal user, HttpContext http, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChangeCity(cityId, new RequestErrors(), http, cluster, city => city.UpdateProfileAsync(user.Actor(), request.ToCommand()));
    }

    public static Task<Results<Ok<CityView>, ValidationProblem, ProblemHttpResult>> EndorseRepresentative(
        string cityId, string name, ClaimsPrincipal user, HttpContext http, IClusterClient cluster) =>
        ChangeCity(cityId, new RequestErrors(), http, cluster, city => city.EndorseRepresentativeAsync(user.Actor(), name));

    public static Task<Results<Ok<CityView>, ValidationProblem, ProblemHttpResult>> FileProgressReport(
        string cityId, ProgressReportRequest request, ClaimsPrincipal user, HttpContext http, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChangeCity(cityId, request.Validate(new RequestErrors()), http, cluster,
            city => city.FileProgressReportAsync(user.Actor(), request.ToCommand()));
    }

    public static Task<Results<Ok<CityView>, ValidationProblem, ProblemHttpResult>> SuspendMembership(
        string cityId, MembershipChangeRequest request, ClaimsPrincipal user, HttpContext http, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChangeCity(cityId, request.Validate(new RequestErrors()), http, cluster, city => city.SuspendAsync(user.Actor(), request.Reason!));
    }

    public static Task<Results<Ok<CityView>, ValidationProblem, ProblemHttpResult>> EndMembership(
        string cityId, MembershipChangeRequest request, ClaimsPrincipal user, HttpContext http, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChangeCity(cityId, request.Validate(new RequestErrors()), http, cluster, city => city.EndMembershipAsync(user.Actor(), request.Reason!));
    }

    /// <summary>Validates the id, honours If-Match against the city's version, runs the command, tags the result.</summary>
    private static async Task<Results<Ok<CityView>, ValidationProblem, ProblemHttpResult>> ChangeCity(
        string cityId, RequestErrors errors, HttpContext http, IClusterClient cluster, Func<ICityGrain, Task<CityView>> command)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (errors.CityId(cityId).Any)
        {
            return errors.Problem();
        }

        var city = cluster.City(cityId);
        if (await ETags.CheckIfMatchAsync(http, async () => (await city.GetAsync()).Version) is { } failed)
        {
            return failed;
        }

        var view = await command(city);
        ETags.Set(http, view.Version);
        return TypedResults.Ok(view);
    }

    private static CityStatus? ParseStatus(string? status, RequestErrors errors)
    {
        if (status is null)
        {
            return null;
        }

        if (status.Length > 0 && char.IsAsciiLetter(status[0]) && Enum.TryParse<CityStatus>(status, ignoreCase: true, out var parsed))
        {
            return parsed;
        }

        errors.Add("status", "status must be one of " + string.Join(", ", Enum.GetNames<CityStatus>()) + ".");
        return null;
    }
}
