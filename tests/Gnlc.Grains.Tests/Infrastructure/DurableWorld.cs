using Gnlc.Hosting;
using Gnlc.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Gnlc.Grains.Tests.Infrastructure;

/// <summary>
/// Durable stores (grain state, reminders), a fake base clock and an event recorder that outlive any
/// cluster: a test starts a cluster on them, shuts the whole cluster down, and starts a new one on the
/// same stores, as operators would restart every silo of a deployment on its database.
/// </summary>
public sealed class DurableWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2031, 6, 2, 8, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);

    public SharedGrainStore Store { get; } = new();

    public SharedReminderTable Reminders { get; } = new();

    public RecordingEventSink Events { get; } = new();

    public InProcessTestCluster? Cluster { get; private set; }

    public IClusterClient Client => (Cluster ?? throw new InvalidOperationException("The cluster is down.")).Client;

    /// <summary>Starts a new cluster of <paramref name="silos"/> silos on the world's stores.</summary>
    public async Task StartAsync(int silos = 2)
    {
        if (Cluster is not null)
        {
            throw new InvalidOperationException("A cluster is already running.");
        }

        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<IReminderTable>(Reminders);
            silo.Services.AddGrainStorage(ProviderNames.GrainStorage, (sp, _) => new SharedGrainStorage(Store, sp.GetRequiredService<IGrainStorageSerializer>()));
            silo.Services.AddKeyedSingleton<TimeProvider>(GnlcClock.BaseServiceKey, Time);
            silo.Services.AddSingleton<IDomainEventSink>(Events);
            silo.AddGnlcDomain(new GnlcDomainOptions { TestClock = true, MaxReminderDelay = TimeSpan.FromSeconds(2) });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        Cluster = cluster;
    }

    /// <summary>Stops every silo and the client: nothing of the cluster runs, only the stores remain.</summary>
    public async Task StopAsync()
    {
        if (Cluster is { } cluster)
        {
            Cluster = null;
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
