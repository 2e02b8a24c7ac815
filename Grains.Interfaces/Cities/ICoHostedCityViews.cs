namespace Gnlc.Cities;

/// <summary>
/// The committed views of the city grains active on the silo of this process, for an HTTP front end co-hosted with
/// that silo (the embedded deployment): a GET can answer from here without a grain call. Registered only where that is
/// sound (one silo, the Api in its process); elsewhere the service is absent and every read calls the grain.
/// </summary>
/// <remarks>
/// A view found here is what the grain's own <see cref="ICityGrain.GetAsync"/> would answer now: the grain publishes it
/// after its state is committed (activation load, every command, every deadline) and before the change's answer
/// returns, and withdraws it when its activation starts to deactivate. A miss means only "ask the grain".
/// </remarks>
public interface ICoHostedCityViews
{
    /// <summary>The committed view of an active city grain; false when none is published (ask the grain).</summary>
    bool TryGet(string cityId, out CityView view);
}
