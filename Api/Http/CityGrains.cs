using Gnlc.Cities;

namespace Gnlc.Api.Http;

/// <summary>
/// The city grain reference of a request, made without <c>GetGrain&lt;ICityGrain&gt;(key)</c>'s per-call lookup of the
/// interface's grain type (attribute reflection under a lock: about a tenth of the city GET's CPU in its profile).
/// </summary>
public static class CityGrains
{
    // Both types are fixed by attributes, the same for every client of the process; taken once from a normal reference.
    private static Types? s_types;

    public static ICityGrain City(this IClusterClient cluster, string cityId)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var key = GrainKeys.City(cityId);
        if (s_types is not { } types)
        {
            var reference = (GrainReference)cluster.GetGrain<ICityGrain>(key);
            s_types = new Types(reference.GrainId.Type, reference.InterfaceType);
            return (ICityGrain)reference;
        }

        return (ICityGrain)cluster.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
    }

    private sealed record Types(GrainType Grain, GrainInterfaceType Interface);
}
