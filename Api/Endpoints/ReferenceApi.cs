using Gnlc.Api.Http;
using Gnlc.Reference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gnlc.Api.Endpoints;

/// <summary>Reference data: the UNESCO Member States and Associate Members a city may lie in.</summary>
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
        return v1;
    }

    public static Results<Ok<Paged<MemberState>>, ValidationProblem> ListMemberStates(int? page, int? pageSize)
    {
        var errors = new RequestErrors();
        var (p, size) = Paging.Validate(page, pageSize, errors);
        return errors.Any ? errors.Problem() : TypedResults.Ok(Paging.Of(MemberStates.All.ToList(), p, size));
    }
}
