using System.Collections.Concurrent;
using Gnlc.Cities;

namespace Gnlc.Api.Http;

/// <summary>
/// City grain references of this process's cluster client, kept per city: making one per GET (a proxy object and its
/// shared data looked up) was about 4% of the embedded city GET's CPU in its profile. A reference is only an address;
/// the grain is still called on every request.
/// </summary>
public sealed class CityReferences(IClusterClient cluster)
{
    // Cities kept at most; past it the cache starts again.
    private const int MaxCities = 16_384;

    private readonly ConcurrentDictionary<string, ICityGrain> _cities = new(StringComparer.Ordinal);

    /// <summary>The grain of a valid city id (checked by the caller).</summary>
    public ICityGrain City(string cityId)
    {
        ArgumentNullException.ThrowIfNull(cityId);
        if (_cities.TryGetValue(cityId, out var city))
        {
            return city;
        }

        if (_cities.Count >= MaxCities)
        {
            _cities.Clear();
        }

        return _cities.GetOrAdd(cityId, cluster.City(cityId));
    }
}
