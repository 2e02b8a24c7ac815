using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Silo.Tests;

/// <summary>What one embedded host wrote, a new host on the same file finds: the store is durable.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _dataDirectory = EmbeddedSilo.NewDataDirectory();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => EmbeddedSilo.DeleteDataDirectory(_dataDirectory);

    [Fact]
    public async Task Grain_state_survives_a_full_restart_of_the_host()
    {
        const string Key = "restart-state";
        await using (var before = await EmbeddedSilo.StartAsync(_dataDirectory, Cancellation))
        {
            await before.Grains.GetGrain<IAlphaProbeGrain>(Key).Save("kept");
            await before.Grains.GetGrain<IBetaProbeGrain>(Key).Save("kept too");
        }

        await using var after = await EmbeddedSilo.StartAsync(_dataDirectory, Cancellation);
        var alpha = after.Grains.GetGrain<IAlphaProbeGrain>(Key);

        // The new activation loaded its state from the file on activation, version included.
        Assert.Equal(new ProbeSnapshot { Value = "kept", ETag = "1", RecordExists = true }, await alpha.Describe());
        Assert.Equal("kept too", await after.Grains.GetGrain<IBetaProbeGrain>(Key).ReadStored());

        await alpha.Save("changed after restart");
        Assert.Equal("2", (await alpha.Describe()).ETag);
    }

    [Fact]
    public async Task A_reminder_survives_a_full_restart_of_the_host()
    {
        const string Key = "restart-reminder";
        var period = TimeSpan.FromHours(2);
        await using (var before = await EmbeddedSilo.StartAsync(_dataDirectory, Cancellation))
        {
            await before.Grains.GetGrain<IReminderProbeGrain>(Key).Register("daily-report", TimeSpan.FromHours(1), period);
        }

        await using var after = await EmbeddedSilo.StartAsync(_dataDirectory, Cancellation);
        var grain = after.Grains.GetGrain<IReminderProbeGrain>(Key);

        Assert.Equal(["daily-report"], await grain.List());
        var stored = await after.Services.GetRequiredService<IReminderTable>().ReadRow(grain.GetGrainId(), "daily-report", Cancellation);
        Assert.NotNull(stored);
        Assert.Equal(period, stored.Period);

        Assert.True(await grain.Unregister("daily-report"));
        Assert.Empty(await grain.List());
    }
}
