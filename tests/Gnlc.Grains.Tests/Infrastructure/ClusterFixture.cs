using Gnlc.Cities;
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
/// Three silos (by default) in this process, sharing one <see cref="FakeTimeProvider"/> as the base of the domain
/// clock (the test clock adds its offset), one grain store and one reminder table that outlive any silo,
/// and one event recorder.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly int _silos;
    private readonly bool _coHostedCityViews;
    private int _nextCountry;

    public ClusterFixture()
        : this(silos: 3, coHostedCityViews: false)
    {
    }

    /// <param name="silos">Silos started at once.</param>
    /// <param name="coHostedCityViews">Adds the co-hosted city view registry to every silo.</param>
    protected ClusterFixture(int silos, bool coHostedCityViews)
    {
        _silos = silos;
        _coHostedCityViews = coHostedCityViews;
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public SharedGrainStore Store { get; } = new();

    public SharedReminderTable Reminders { get; } = new();

    public RecordingEventSink Events { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder((short)_silos);
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
            if (_coHostedCityViews)
            {
                silo.AddGnlcCoHostedCityViews();
            }
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        GC.SuppressFinalize(this);
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

/// <summary>
/// One silo with the co-hosted city view registry, as the embedded deployment runs it (the registry is sound on one
/// silo only).
/// </summary>
public sealed class CoHostedSiloFixture() : ClusterFixture(silos: 1, coHostedCityViews: true)
{
    /// <summary>The silo's registry.</summary>
    public CityViewRegistry Views => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress).GetRequiredService<CityViewRegistry>();
}
