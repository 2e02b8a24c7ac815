using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Storage;

namespace Gnlc.Silo.Persistence;

/// <summary>
/// Wraps Orleans' ADO.NET grain storage so that two different grains never share a stored row.
/// </summary>
/// <remarks>
/// The stock provider (10.4.2) derives the row's identity from the state name and the grain key only, and parses
/// the key as a GUID or a hexadecimal integer whenever it can: "DE" and "de", "2025" and "02025", "CAFE" and "cafe"
/// reach the database as the same integer (dotnet/orleans#9706), and the grain class is not passed at all, so two
/// classes with the same key and state name share a row (#8746). The SQL cannot tell such rows apart because the
/// provider hands it identical parameters. This wrapper passes the provider, as the grain key, the whole grain id
/// text ("type/key"): it contains '/', so it never parses as a GUID or an integer, and the provider stores it
/// verbatim (case and leading zeros included) in GrainIdExtensionString.
/// </remarks>
internal sealed class ExactKeyGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, StorageId(grainId), grainState);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.ReadStateAsync(stateName, StorageId(grainId), grainState, cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(stateName, StorageId(grainId), grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.WriteStateAsync(stateName, StorageId(grainId), grainState, cancellationToken);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, StorageId(grainId), grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.ClearStateAsync(stateName, StorageId(grainId), grainState, cancellationToken);

    // The provider reads its query texts in its lifecycle Init; it must still take part.
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    internal static GrainId StorageId(GrainId grainId) => GrainId.Create(grainId.Type, StorageKey(grainId));

    /// <summary>The text the provider stores as the row's key (its grain id extension): the whole grain id.</summary>
    internal static string StorageKey(GrainId grainId) => grainId.ToString();
}

/// <summary>Registers ADO.NET grain storage behind <see cref="ExactKeyGrainStorage"/>.</summary>
internal static class ExactKeyGrainStorageExtensions
{
    public static ISiloBuilder AddExactKeyAdoNetGrainStorage(this ISiloBuilder silo, string name, Action<AdoNetGrainStorageOptions> configure)
    {
        silo.AddAdoNetGrainStorage(name, configure);

        // Orleans resolves a named storage (and its lifecycle participant) as the keyed IGrainStorage; replace
        // that registration with one that wraps what the provider registered.
        var registered = silo.Services.LastOrDefault(d =>
            d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        var factory = registered?.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"The ADO.NET grain storage '{name}' was not registered by a keyed factory.");
        silo.Services.Remove(registered);
        silo.Services.AddKeyedSingleton<IGrainStorage>(name, (services, key) =>
            new ExactKeyGrainStorage((IGrainStorage)factory(services, key)));
        return silo;
    }
}
