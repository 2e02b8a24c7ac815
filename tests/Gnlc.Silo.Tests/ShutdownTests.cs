using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Silo.Tests;

/// <summary>A host that stops (as on SIGTERM) shuts its silo down gracefully: grains deactivate and write, the silo leaves.</summary>
public sealed class ShutdownTests : IDisposable
{
    private readonly string _dataDirectory = EmbeddedSilo.NewDataDirectory();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => EmbeddedSilo.DeleteDataDirectory(_dataDirectory);

    [Fact]
    public async Task Stopping_the_host_deactivates_every_active_grain_which_writes_its_state_and_the_silo_ends_dead()
    {
        var keys = Enumerable.Range(0, 25).Select(i => $"shutdown-{i}").ToArray();
        ISiloStatusOracle oracle;
        await using (var silo = await EmbeddedSilo.StartAsync(_dataDirectory, Cancellation))
        {
            oracle = silo.Services.GetRequiredService<ISiloStatusOracle>();
            Assert.Equal(SiloStatus.Active, oracle.CurrentStatus);
            foreach (var key in keys)
            {
                // Held in memory only: what the next host finds was written by the deactivation.
                await silo.Grains.GetGrain<IShutdownProbeGrain>(key).Hold("held by " + key);
            }
        }

        Assert.Equal(SiloStatus.Dead, oracle.CurrentStatus);
        await using var after = await EmbeddedSilo.StartAsync(_dataDirectory, Cancellation);
        foreach (var key in keys)
        {
            var stored = await after.Grains.GetGrain<IShutdownProbeGrain>(key).Stored();
            Assert.Equal("held by " + key, stored.Value);
            Assert.Equal(nameof(DeactivationReasonCode.ShuttingDown), stored.DeactivationReason);
        }
    }
}
