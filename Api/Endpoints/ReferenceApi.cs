using Gnlc.Api.Http;
using Gnlc.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gnlc.Api.Endpoints;

/// <summary>Reference data: the UNESCO Member States and Associate Members a city may lie in, and the Key Features of Learning Cities.</summary>
public static class ReferenceApi
{
    public static RouteGroupBuilder MapReferenceEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapGet("/member-states", ListMemberStates)
            .WithTags("Reference")
            .WithName("ListMemberStates")
            .WithSummary("UNESCO Member States and Associate Members {code, name, status, region}, by name.")
            .AllowAnonymous()
            .ProducesRequestProblems();
        v1.MapGet("/key-features", GetKeyFeatures)
            .WithTags("Reference")
            .WithName("GetKeyFeatures")
            .WithSummary("The Key Features of Learning Cities: 3 dimensions and 12 areas of focus (codes 1.1–3.3), with their source.")
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return v1;
    }

    public static Ok<KeyFeaturesFramework> GetKeyFeatures() => TypedResults.Ok(KeyFeatures.Framework);

    public static Results<Ok<Paged<MemberState>>, ValidationProblem> ListMemberStates(int? page, int? pageSize)
    {
        var errors = new RequestErrors();
        var (p, size) = Paging.Validate(page, pageSize, errors);
        return errors.Any ? errors.Problem() : TypedResults.Ok(Paging.Of(MemberStates.All.ToList(), p, size));
    }
}
