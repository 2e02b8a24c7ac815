using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Silo.Tests;

/// <summary>Reminders through a real embedded silo: Orleans' ADO.NET reminder table on our SQLite schema.</summary>
public sealed class ReminderTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    // Far enough ahead that no reminder fires while a test runs.
    private static readonly TimeSpan DueLater = TimeSpan.FromHours(1);
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(90);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static string NewKey() => "reminder-" + Guid.NewGuid().ToString("N");

    private IReminderTable Table => fixture.Silo.Services.GetRequiredService<IReminderTable>();

    [Fact]
    public async Task A_grain_registers_lists_and_unregisters_its_reminders()
    {
        var grain = fixture.Silo.Grains.GetGrain<IReminderProbeGrain>(NewKey());

        await grain.Register("nightly", DueLater, Period);
        await grain.Register("hourly", DueLater, Period);
        await grain.Register("nightly", DueLater, Period * 2);

        Assert.Equal(["hourly", "nightly"], await grain.List());
        var nightly = await Table.ReadRow(grain.GetGrainId(), "nightly", Cancellation);
        Assert.NotNull(nightly);
        Assert.Equal(Period * 2, nightly.Period);

        Assert.True(await grain.Unregister("nightly"));
        Assert.False(await grain.Unregister("nightly"));
        Assert.Equal(["hourly"], await grain.List());
    }

    [Fact]
    public async Task Upsert_returns_a_new_etag_and_delete_needs_the_current_one()
    {
        var grainId = fixture.Silo.Grains.GetGrain<IReminderProbeGrain>(NewKey()).GetGrainId();
        var startAt = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234567);
        var entry = new ReminderEntry { GrainId = grainId, ReminderName = "r", StartAt = startAt, Period = Period };

        var firstETag = await Table.UpsertRow(entry, Cancellation);
        var secondETag = await Table.UpsertRow(entry, Cancellation);

        Assert.NotEqual(firstETag, secondETag);
        var stored = await Table.ReadRow(grainId, "r", Cancellation);
        Assert.NotNull(stored);
        Assert.Equal(startAt, stored.StartAt);
        Assert.Equal(DateTimeKind.Utc, stored.StartAt.Kind);
        Assert.Equal(Period, stored.Period);
        Assert.Equal(secondETag, stored.ETag);

        Assert.False(await Table.RemoveRow(grainId, "r", firstETag!, Cancellation));
        Assert.NotNull(await Table.ReadRow(grainId, "r", Cancellation));
        Assert.True(await Table.RemoveRow(grainId, "r", secondETag!, Cancellation));
        Assert.Null(await Table.ReadRow(grainId, "r", Cancellation));
        Assert.Empty((await Table.ReadRows(grainId, Cancellation)).Reminders);
    }

    /// <summary>
    /// Each silo loads the reminders of its ring range (Begin, End]; the provider uses one query for a plain range
    /// and another for a range that wraps around the ring (signed order), which is also how a lone silo asks for all.
    /// </summary>
    [Fact]
    public async Task Range_reads_find_a_reminder_by_its_grain_hash()
    {
        var grainId = GrainWithHashAwayFromTheEnds();
        var hash = grainId.GetUniformHashCode();
        await Table.UpsertRow(new ReminderEntry
        {
            GrainId = grainId,
            ReminderName = "ranged",
            StartAt = DateTime.UtcNow.Add(DueLater),
            Period = Period,
        }, Cancellation);

        Assert.True(await Contains(hash - 1, hash));       // plain range ending at the hash
        Assert.False(await Contains(hash, hash + 1));      // plain range starting at the hash (exclusive)
        Assert.True(await Contains(hash + 1, hash));       // wrapping range ending at the hash
        Assert.False(await Contains(hash, hash - 1));      // wrapping range that leaves only the hash out
        Assert.True(await Contains(0, 0));                 // the full ring

        async Task<bool> Contains(uint begin, uint end) =>
            (await Table.ReadRows(begin, end, Cancellation)).Reminders.Any(r => r.GrainId == grainId && r.ReminderName == "ranged");
    }

    /// <summary>A grain id whose hash is not next to the signed or unsigned wrap points, so ±1 stays on its side.</summary>
    private GrainId GrainWithHashAwayFromTheEnds()
    {
        while (true)
        {
            var grainId = fixture.Silo.Grains.GetGrain<IReminderProbeGrain>(NewKey()).GetGrainId();
            var signed = (int)grainId.GetUniformHashCode();
            if (signed is > int.MinValue + 2 and < int.MaxValue - 2 and (< -2 or > 2))
            {
                return grainId;
            }
        }
    }
}
