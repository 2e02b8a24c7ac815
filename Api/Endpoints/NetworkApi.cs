using Gnlc.Api.Http;
using Gnlc.Network;

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
            // Every answer has a body (the statistics, or the exception handler's problem).
            .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute())
            .Produces<NetworkStats>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return v1;
    }

    public static async Task<IResult> GetStats(IClusterClient cluster, NetworkStatsJson json)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(json);
        var stats = await cluster.GetGrain<IDirectoryGrain>(GrainKeys.Directory).GetStatsAsync();
        return new JsonBytesResult(json.Of(stats));
    }
}
