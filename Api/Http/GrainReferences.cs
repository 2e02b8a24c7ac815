using Gnlc.Cities;

namespace Gnlc.Api.Http;

/// <summary>
/// Grain references made without <c>GetGrain&lt;T&gt;(key)</c>'s per-call lookup of the interface's grain type
/// (attribute reflection under a lock: about a tenth of the city GET's CPU and 5% of an application write's in their
/// profiles).
/// </summary>
public static class GrainReferences
{
    public static TGrain Reference<TGrain>(this IClusterClient cluster, string key)
        where TGrain : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (TypesOf<TGrain>.Value is not { } types)
        {
            var reference = (GrainReference)(object)cluster.GetGrain<TGrain>(key);
            TypesOf<TGrain>.Value = new Types(reference.GrainId.Type, reference.InterfaceType);
            return (TGrain)(object)reference;
        }

        return (TGrain)cluster.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
    }

    /// <summary>The city grain of a request.</summary>
    public static ICityGrain City(this IClusterClient cluster, string cityId) => cluster.Reference<ICityGrain>(GrainKeys.City(cityId));

    // Both types are fixed by attributes, the same for every client of the process; taken once from a normal reference.
    // A class, so that a racing first call publishes it whole.
    private sealed record Types(GrainType Grain, GrainInterfaceType Interface);

    private static class TypesOf<TGrain>
    {
        public static Types? Value;
    }
}
