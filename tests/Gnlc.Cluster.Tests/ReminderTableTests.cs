using Gnlc.Cluster.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Cluster.Tests;

/// <summary>
/// The ADO.NET reminder table contract on our schema, through the reminder table a real silo uses. Every test makes
/// its own grains and only looks at those.
/// </summary>
public sealed class ReminderTableTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private static readonly GrainType ProbeType = GrainType.Create("gnlc-reminder-probe");
    private static readonly DateTime Start = new(2026, 3, 1, 12, 30, 15, 250, DateTimeKind.Utc);

    private readonly string _prefix = Guid.NewGuid().ToString("N")[..12];

    private IReminderTable Table => fixture.Silo.Services.GetRequiredService<IReminderTable>();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_upsert_inserts_then_updates_and_every_upsert_changes_the_etag()
    {
        var grain = NewGrain("upsert");

        var inserted = await Table.UpsertRow(Entry(grain, "tick", Start, TimeSpan.FromMinutes(1)), Cancellation);
        var afterInsert = await Table.ReadRow(grain, "tick", Cancellation);
        var updated = await Table.UpsertRow(Entry(grain, "tick", Start.AddHours(1), TimeSpan.FromMinutes(5)), Cancellation);
        var afterUpdate = await Table.ReadRow(grain, "tick", Cancellation);

        Assert.NotNull(afterInsert);
        Assert.Equal((grain, "tick", Start, TimeSpan.FromMinutes(1), inserted), Describe(afterInsert));
        Assert.NotEqual(inserted, updated);
        Assert.NotNull(afterUpdate);
        Assert.Equal((grain, "tick", Start.AddHours(1), TimeSpan.FromMinutes(5), updated), Describe(afterUpdate));
    }

    [Fact]
    public async Task A_period_beyond_int_milliseconds_round_trips()
    {
        // Over ~24.8 days the provider binds the period as a long: the column is bigint.
        var grain = NewGrain("long-period");
        var period = TimeSpan.FromDays(60);

        await Table.UpsertRow(Entry(grain, "monthly", Start, period), Cancellation);

        Assert.Equal(period, (await Table.ReadRow(grain, "monthly", Cancellation))?.Period);
    }

    [Fact]
    public async Task A_remove_needs_the_current_etag()
    {
        var grain = NewGrain("remove");
        var first = await Table.UpsertRow(Entry(grain, "once", Start, TimeSpan.FromMinutes(1)), Cancellation);
        var current = await Table.UpsertRow(Entry(grain, "once", Start, TimeSpan.FromMinutes(2)), Cancellation);

        var staleRemoved = await Table.RemoveRow(grain, "once", first!, Cancellation);
        var removed = await Table.RemoveRow(grain, "once", current!, Cancellation);
        var removedAgain = await Table.RemoveRow(grain, "once", current!, Cancellation);

        Assert.False(staleRemoved);
        Assert.True(removed);
        Assert.False(removedAgain);
        Assert.Null(await Table.ReadRow(grain, "once", Cancellation));
    }

    [Fact]
    public async Task Reading_a_grains_reminders_lists_that_grains_only()
    {
        var grain = NewGrain("mine");
        var other = NewGrain("other");
        await Table.UpsertRow(Entry(grain, "a", Start, TimeSpan.FromMinutes(1)), Cancellation);
        await Table.UpsertRow(Entry(grain, "b", Start, TimeSpan.FromMinutes(1)), Cancellation);
        await Table.UpsertRow(Entry(other, "a", Start, TimeSpan.FromMinutes(1)), Cancellation);

        var data = await Table.ReadRows(grain, Cancellation);

        Assert.Equal(["a", "b"], data.Reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal));
        Assert.All(data.Reminders, r => Assert.Equal(grain, r.GrainId));
    }

    [Fact]
    public async Task Reading_a_ring_range_returns_exactly_the_grains_hashed_into_it()
    {
        var grains = Enumerable.Range(0, 12).Select(i => NewGrain($"ring-{i}")).ToList();
        foreach (var grain in grains)
        {
            await Table.UpsertRow(Entry(grain, "ring", Start, TimeSpan.FromMinutes(1)), Cancellation);
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToList();
        // Ranges are (begin, end] on the unsigned ring; the provider picks one of two queries by signed order.
        var ranges = new (uint Begin, uint End)[]
        {
            (hashes[2], hashes[7]),                  // inside the ring
            (hashes[9], hashes[3]),                  // wraps past uint.MaxValue
            (0x7FFF_0000u, 0x8001_0000u),            // crosses int.MaxValue: signed order says "wrapping"
            (0x8001_0000u, 0x7FFF_0000u),            // the complement of the previous range
            (hashes[4], hashes[4]),                  // begin = end: the whole ring
        };

        foreach (var (begin, end) in ranges)
        {
            var data = await Table.ReadRows(begin, end, Cancellation);
            var found = data.Reminders.Select(r => r.GrainId).Where(grains.Contains).Order().ToList();
            var expected = grains.Where(g => InRange(g.GetUniformHashCode(), begin, end)).Order().ToList();
            Assert.Equal(expected, found);
        }
    }

    [Fact]
    public async Task Clearing_the_table_removes_this_services_reminders_only()
    {
        var grain = NewGrain("cleared");
        await Table.UpsertRow(Entry(grain, "x", Start, TimeSpan.FromMinutes(1)), Cancellation);
        await Sql.ExecuteAsync(
            fixture.Cluster.ConnectionString,
            """
            INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
            VALUES (@service, 'other/grain', 'x', now(), 60000, 0, 0)
            """,
            ("service", "other-" + _prefix));

        await Table.TestOnlyClearTable(Cancellation);

        Assert.Empty((await Table.ReadRows(grain, Cancellation)).Reminders);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            fixture.Cluster.ConnectionString, "SELECT count(*) FROM orleans_reminders WHERE service_id = @service", ("service", "other-" + _prefix)));
    }

    private GrainId NewGrain(string name) => GrainId.Create(ProbeType, $"{_prefix}-{name}");

    private static ReminderEntry Entry(GrainId grain, string name, DateTime start, TimeSpan period) =>
        new() { GrainId = grain, ReminderName = name, StartAt = start, Period = period };

    private static (GrainId, string, DateTime, TimeSpan, string?) Describe(ReminderEntry entry) =>
        (entry.GrainId, entry.ReminderName, entry.StartAt, entry.Period, entry.ETag);

    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end
        : begin > end ? hash > begin || hash <= end
        : true;
}
