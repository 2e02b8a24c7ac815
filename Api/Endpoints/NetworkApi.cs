using Gnlc.Network;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gnlc.Api.Endpoints;

/// <summary>The network as a whole: statistics computed from stored city data.</summary>
public static class NetworkApi
{
    public static RouteGroupBuilder MapNetworkEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapGroup("/network").WithTags("Network")
            .MapGet("/stats", GetStats)
            .WithName("GetNetworkStats")
            .WithSummary("Member cities, countries, inhabitants and awardees of the network.")
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return v1;
    }

    public static async Task<Ok<NetworkStats>> GetStats(IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return TypedResults.Ok(await cluster.GetGrain<IDirectoryGrain>(GrainKeys.Directory).GetStatsAsync());
    }
}
