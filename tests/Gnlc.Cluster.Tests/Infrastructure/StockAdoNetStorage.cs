using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Gnlc.Cluster.Tests.Infrastructure;

/// <summary>
/// Orleans' ADO.NET grain storage exactly as the package ships it, on a silo's database and options, but without the
/// key wrapper our hosting adds: to show what the provider itself sends to the SQL.
/// </summary>
internal static class StockAdoNetStorage
{
    public static async Task<IGrainStorage> CreateAsync(PostgresSilo silo, bool deleteStateOnClear = false)
    {
        // The silo's own ADO.NET options (the pub-sub store's: "gnlc" is PostgresGrainStorage): same connection string, invariant, serializer.
        var configured = silo.Services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(ProviderNames.PubSubStore);
        var options = new AdoNetGrainStorageOptions
        {
            ConnectionString = configured.ConnectionString,
            Invariant = configured.Invariant,
            GrainStorageSerializer = configured.GrainStorageSerializer,
            HashPicker = configured.HashPicker,
            DeleteStateOnClear = deleteStateOnClear,
        };
        var storage = new AdoNetGrainStorage(
            silo.Services.GetRequiredService<IActivatorProvider>(),
            NullLogger<AdoNetGrainStorage>.Instance,
            Options.Create(options),
            silo.Services.GetRequiredService<IOptions<ClusterOptions>>(),
            "stock");

        // The provider loads its query texts when the silo lifecycle starts it; run just that step.
        var lifecycle = new StartOnlyLifecycle();
        storage.Participate(lifecycle);
        foreach (var observer in lifecycle.Observers)
        {
            await observer.OnStart(TestContext.Current.CancellationToken);
        }

        return storage;
    }

    private sealed class StartOnlyLifecycle : ISiloLifecycle
    {
        public List<ILifecycleObserver> Observers { get; } = [];

        public int HighestCompletedStage => 0;

        public int LowestStoppedStage => 0;

        public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
        {
            Observers.Add(observer);
            return new Unsubscriber();
        }

        private sealed class Unsubscriber : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
