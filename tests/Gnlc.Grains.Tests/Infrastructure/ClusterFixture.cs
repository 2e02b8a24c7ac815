using Gnlc.Hosting;
using Gnlc.Infrastructure;
using Gnlc.Reference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Gnlc.Grains.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class ClusterDefinition : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>
/// Three silos in this process, sharing one <see cref="FakeTimeProvider"/> as the base of the domain
/// clock (the test clock adds its offset), one grain store and one reminder table that outlive any silo,
/// and one event recorder.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private int _nextCountry;

    public FakeTimeProvider Time { get; } = new(Start);

    public SharedGrainStore Store { get; } = new();

    public SharedReminderTable Reminders { get; } = new();

    public RecordingEventSink Events { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<IReminderTable>(Reminders);
            silo.Services.AddGrainStorage(ProviderNames.GrainStorage, (sp, _) => new SharedGrainStorage(Store, sp.GetRequiredService<IGrainStorageSerializer>()));
            silo.Services.AddKeyedSingleton<TimeProvider>(GnlcClock.BaseServiceKey, Time);
            silo.Services.AddSingleton<IDomainEventSink>(Events);
            silo.AddGnlcDomain(new GnlcDomainOptions
            {
                TestClock = true,
                MaxReminderDelay = TimeSpan.FromSeconds(2),
                OutboxRetryDelay = TimeSpan.FromMilliseconds(200),
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
    }

    /// <summary>A Member State no other test of this cluster uses, so per-country data starts empty.</summary>
    public string NewCountry()
    {
        var states = MemberStates.All;
        return states[Interlocked.Increment(ref _nextCountry) % states.Count].Code;
    }

    /// <summary>Grain factories of the running silos, so calls can start on different silos.</summary>
    public IReadOnlyList<IGrainFactory> SiloFactories =>
        [.. Cluster.Silos.Select(s => Cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<IGrainFactory>())];
}
