using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Gnlc.Silo.Tests;

/// <summary>Grain state through a real embedded silo: Orleans' ADO.NET provider on our SQLite schema.</summary>
public sealed class GrainStorageTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    private IGrainFactory Grains => fixture.Silo.Grains;

    private static string NewKey() => "probe-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_written_state_is_read_back_from_the_store_with_a_growing_version()
    {
        var grain = Grains.GetGrain<IAlphaProbeGrain>(NewKey());

        await grain.Save("first");
        Assert.Equal("first", await grain.ReadStored());
        Assert.Equal(new ProbeSnapshot { Value = "first", ETag = "1", RecordExists = true }, await grain.Describe());

        await grain.Save("second");
        Assert.Equal("second", await grain.ReadStored());
        Assert.Equal("2", (await grain.Describe()).ETag);
    }

    [Fact]
    public async Task A_grain_that_never_wrote_reads_no_record()
    {
        var grain = Grains.GetGrain<IAlphaProbeGrain>(NewKey());

        Assert.Null(await grain.ReadStored());
        Assert.Equal(new ProbeSnapshot { Value = null, ETag = null, RecordExists = false }, await grain.Describe());
    }

    [Fact]
    public async Task Clearing_removes_the_value_and_a_later_write_succeeds()
    {
        var grain = Grains.GetGrain<IAlphaProbeGrain>(NewKey());
        await grain.Save("doomed");

        await grain.Clear();

        Assert.Null(await grain.ReadStored());
        // The row keeps a bumped version, so a writer still holding the pre-clear ETag would fail.
        Assert.Equal(new ProbeSnapshot { Value = null, ETag = "2", RecordExists = false }, await grain.Describe());

        await grain.Save("reborn");
        Assert.Equal("reborn", await grain.ReadStored());
        Assert.Equal("3", (await grain.Describe()).ETag);
    }

    [Fact]
    public async Task A_write_with_a_stale_version_fails_with_InconsistentStateException()
    {
        var grain = Grains.GetGrain<IAlphaProbeGrain>(NewKey());
        await grain.Save("mine");

        // Another writer (e.g. a duplicate activation) updates the row behind the grain's back.
        var storage = Storage();
        var other = new GrainState<ProbeState>();
        await storage.ReadStateAsync(ProbeGrain.StateName, grain.GetGrainId(), other);
        other.State = new ProbeState { Value = "theirs" };
        await storage.WriteStateAsync(ProbeGrain.StateName, grain.GetGrainId(), other);
        Assert.Equal("2", other.ETag);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Save("stale"));

        Assert.Equal("theirs", await grain.ReadStored());
        // The failed activation was dropped, so the next one starts from the stored version and can write.
        await grain.Save("after");
        Assert.Equal("after", await grain.ReadStored());
    }

    [Fact]
    public async Task A_first_write_over_an_existing_row_fails_with_InconsistentStateException()
    {
        var grain = Grains.GetGrain<IAlphaProbeGrain>(NewKey());
        await grain.Save("existing");

        // A writer that never read the row (no ETag) must not overwrite it.
        var blind = new GrainState<ProbeState>(new ProbeState { Value = "blind" });

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage().WriteStateAsync(ProbeGrain.StateName, grain.GetGrainId(), blind));
        Assert.Equal("existing", await grain.ReadStored());
    }

    [Fact]
    public async Task A_clear_with_a_stale_version_fails_with_InconsistentStateException()
    {
        var grain = Grains.GetGrain<IAlphaProbeGrain>(NewKey());
        await grain.Save("v1");
        var storage = Storage();
        var stale = new GrainState<ProbeState>();
        await storage.ReadStateAsync(ProbeGrain.StateName, grain.GetGrainId(), stale);
        await grain.Save("v2");

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.ClearStateAsync(ProbeGrain.StateName, grain.GetGrainId(), stale));
        Assert.Equal("v2", await grain.ReadStored());
    }

    /// <summary>
    /// dotnet/orleans#9706: the stock provider parses hex-looking keys as integers (and 32-hex-digit keys as GUIDs),
    /// so these pairs reached the database as one row. Each key must keep its own value.
    /// </summary>
    [Theory]
    [InlineData("DE", "de")]
    [InlineData("2025", "02025")]
    [InlineData("CAFE", "cafe")]
    [InlineData("0123456789abcdef0123456789abcdef", "0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("1f+ext", "01f+ext")]
    public async Task Look_alike_keys_keep_separate_state(string key, string lookAlike)
    {
        var first = Grains.GetGrain<IAlphaProbeGrain>(key);
        var second = Grains.GetGrain<IAlphaProbeGrain>(lookAlike);

        await first.Save("value of " + key);
        await second.Save("value of " + lookAlike);

        Assert.Equal("value of " + key, await first.ReadStored());
        Assert.Equal("value of " + lookAlike, await second.ReadStored());
        Assert.Equal("1", (await first.Describe()).ETag);
        Assert.Equal("1", (await second.Describe()).ETag);
    }

    /// <summary>dotnet/orleans#8746: the stock provider keys rows by state name, not grain class.</summary>
    [Fact]
    public async Task Two_grain_classes_with_the_same_key_and_state_name_keep_separate_state()
    {
        var key = NewKey();
        var alpha = Grains.GetGrain<IAlphaProbeGrain>(key);
        var beta = Grains.GetGrain<IBetaProbeGrain>(key);

        await alpha.Save("alpha's");
        await beta.Save("beta's");

        Assert.Equal("alpha's", await alpha.ReadStored());
        Assert.Equal("beta's", await beta.ReadStored());
    }

    [Fact]
    public async Task The_PubSubStore_provider_stores_state_in_the_same_file()
    {
        var key = NewKey();
        var pubSubProbe = Grains.GetGrain<IPubSubStoreProbeGrain>(key);

        await pubSubProbe.Save("subscriptions");

        Assert.Equal("subscriptions", await pubSubProbe.ReadStored());
        Assert.Null(await Grains.GetGrain<IAlphaProbeGrain>(key).ReadStored());
    }

    private IGrainStorage Storage() => fixture.Silo.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.GrainStorage);
}
