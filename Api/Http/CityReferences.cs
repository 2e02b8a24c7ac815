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
    private readonly BoundedCache<ICityGrain> _cities = new(16_384);

    /// <summary>The grain of a valid city id (checked by the caller).</summary>
    public ICityGrain City(string cityId)
    {
        ArgumentNullException.ThrowIfNull(cityId);
        if (_cities.TryGet(cityId, out var city))
        {
            return city;
        }

        city = cluster.City(cityId);
        _cities.Set(cityId, city);
        return city;
    }
}
