using Gnlc.Cities;

namespace Gnlc.Api.Http;

/// <summary>
/// Where the city GET reads a view: in the embedded deployment from the co-hosted silo's committed views
/// (<see cref="ICoHostedCityViews"/>, no grain call), otherwise, and on every miss, from the grain itself (which
/// activates it). Either answer is never older than the city's last acknowledged change.
/// </summary>
public sealed class CityReads(CityReferences cities, IServiceProvider services)
{
    // Present only when this process co-hosts the one silo (the embedded default); a client of a cluster has none.
    private readonly ICoHostedCityViews? _coHosted = services.GetService<ICoHostedCityViews>();

    /// <summary>True when reads can be answered from the co-hosted silo's views.</summary>
    public bool CoHosted => _coHosted is not null;

    /// <summary>The view of a valid city id (checked by the caller); refuses <c>city-not-found</c> like the grain.</summary>
    public ValueTask<CityView> GetAsync(string cityId)
    {
        ArgumentNullException.ThrowIfNull(cityId);
        return _coHosted is not null && _coHosted.TryGet(cityId, out var view)
            ? ValueTask.FromResult(view)
            : new ValueTask<CityView>(cities.City(cityId).GetAsync());
    }
}
