using System.Security.Claims;
using Gnlc.Api.Auth;
using Gnlc.Api.Endpoints.Requests;
using Gnlc.Api.Http;
using Gnlc.Cities;
using Gnlc.Network;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gnlc.Api.Endpoints;

/// <summary>The UNESCO Learning City Award: granting (coordinator) and the public list.</summary>
public static class AwardsApi
{
    public static RouteGroupBuilder MapAwardsEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var awards = v1.MapGroup("/awards").WithTags("Awards");

        awards.MapGet("/", ListAwards)
            .WithName("ListAwards")
            .WithSummary("Awards by edition year and country, newest first, with the city's name and country.")
            .AllowAnonymous()
            .ProducesRequestProblems();

        awards.MapPost("/", GrantAward)
            .WithName("GrantAward")
            .WithSummary("Grant the award of an edition year to a member city, with a citation (coordinator).")
            .RequireActor()
            .AcceptsJson<GrantAwardRequest>()
            .ProducesDomainProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        return v1;
    }

    public static async Task<Results<Ok<Paged<AwardListItem>>, ValidationProblem>> ListAwards(
        int? year, string? country, int? page, int? pageSize, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = new RequestErrors();
        if (country is not null)
        {
            errors.Country(country);
        }

        var (p, size) = Paging.Validate(page, pageSize, errors);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var awards = await cluster.GetGrain<IDirectoryGrain>(GrainKeys.Directory).ListAwardsAsync(year, country);
        return TypedResults.Ok(Paging.Of(awards, p, size));
    }

    public static async Task<Results<Created<AwardListItem>, ValidationProblem>> GrantAward(
        GrantAwardRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(cluster);
        var errors = request.Validate(new RequestErrors());
        if (errors.Any)
        {
            return errors.Problem();
        }

        var city = await cluster.GetGrain<ICityGrain>(GrainKeys.City(request.CityId!)).GrantAwardAsync(user.Actor(), request.ToCommand());
        var award = city.Awards.First(a => a.Year == request.Year);
        var item = new AwardListItem(city.Id, city.Name, city.Country, award.Year, award.Citation, award.GrantedAt);
        return TypedResults.Created($"/api/v1/cities/{city.Id}", item);
    }
}
