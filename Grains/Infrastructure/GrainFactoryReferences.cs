namespace Gnlc.Infrastructure;

/// <summary>
/// Grain references made without <c>GetGrain&lt;T&gt;(key)</c>'s per-call lookup of the interface's grain type
/// (attribute reflection under a lock: 3.7% of the Silo's samples during registrations, on every notice, summary and
/// deadline a grain sends).
/// </summary>
public static class GrainFactoryReferences
{
    public static TGrain Reference<TGrain>(this IGrainFactory grains, string key)
        where TGrain : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (TypesOf<TGrain>.Value is not { } types)
        {
            var reference = (GrainReference)(object)grains.GetGrain<TGrain>(key);
            TypesOf<TGrain>.Value = new Types(reference.GrainId.Type, reference.InterfaceType);
            return (TGrain)(object)reference;
        }

        return (TGrain)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
    }

    // Both types are fixed by attributes, the same for every caller in the process; taken once from a normal reference.
    // A class, so that a racing first call publishes it whole.
    private sealed record Types(GrainType Grain, GrainInterfaceType Interface);

    private static class TypesOf<TGrain>
    {
        public static Types? Value;
    }
}
