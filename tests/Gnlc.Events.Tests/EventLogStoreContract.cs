using System.Collections.Concurrent;
using Gnlc.Events;
using Gnlc.Silo.Events;
using Microsoft.Extensions.Time.Testing;

namespace Gnlc.Events.Tests;

/// <summary>
/// What every <see cref="IEventLogStore"/> guarantees, run against each implementation on a fresh, empty log.
/// </summary>
public abstract class EventLogStoreContract
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A store over a new, empty event log.</summary>
    protected abstract Task<IEventLogStore> CreateStoreAsync(TimeProvider time);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Appending_an_event_again_returns_its_first_position_and_records_nothing()
    {
        var store = await CreateStoreAsync(TimeProvider.System);
        var (a, b, c, d) = (City("ie-a", 1), City("ie-a", 2), City("ie-b", 1), City("ie-b", 2));

        var first = await store.AppendAsync([a, b, c], Ct);
        var again = await store.AppendAsync([b, c, d], Ct);
        var third = await store.AppendAsync([a], Ct);

        Assert.Equal([1L, 2, 3], first);
        Assert.Equal([2L, 3, 4], again);
        Assert.Equal([1L], third);
        var log = await store.ReadAfterAsync(0, 100, Ct);
        Assert.Equal([1L, 2, 3, 4], log.Select(e => e.Position));
        Assert.Equal([a, b, c, d], log.Select(e => e.Event));
        Assert.Equal(4, await store.GetHeadAsync(Ct));
    }

    [Fact]
    public async Task An_empty_log_has_head_zero_and_nothing_to_read()
    {
        var store = await CreateStoreAsync(TimeProvider.System);

        Assert.Equal(0, await store.GetHeadAsync(Ct));
        Assert.Empty(await store.ReadAfterAsync(0, 10, Ct));
        Assert.Empty(await store.AppendAsync([], Ct));
    }

    [Fact]
    public async Task Every_field_round_trips_and_the_instant_is_kept_to_the_microsecond_in_UTC()
    {
        var store = await CreateStoreAsync(TimeProvider.System);
        // 123.4567 ms past the second, at +02:00: kept as 123.456 ms in UTC.
        var occurred = new DateTimeOffset(2026, 3, 4, 7, 8, 9, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var full = new DomainEvent(DomainEventType.ApplicationDecided, EntityKind.Application, "2027/ie-cork", "ie", "ie-cork", "2027", "Declined", occurred, 7, "Not yet: \"quoted\", ünïcode");
        var sparse = new DomainEvent(DomainEventType.PeriodPhaseChanged, EntityKind.Period, "2027", null, null, "2027", "Open", occurred, 2);

        await store.AppendAsync([full, sparse], Ct);
        var read = await store.ReadAfterAsync(0, 10, Ct);

        var expectedInstant = new DateTimeOffset(2026, 3, 4, 5, 8, 9, TimeSpan.Zero).AddTicks(1_234_560);
        Assert.Equal(full with { OccurredAt = expectedInstant }, read[0].Event);
        Assert.Equal(TimeSpan.Zero, read[0].Event.OccurredAt.Offset);
        Assert.Equal(sparse with { OccurredAt = expectedInstant }, read[1].Event);
    }

    [Fact]
    public async Task Reads_page_in_position_order()
    {
        var store = await CreateStoreAsync(TimeProvider.System);
        await store.AppendAsync([.. Enumerable.Range(1, 25).Select(v => City("ie-paged", v))], Ct);

        var pages = new List<IReadOnlyList<FeedEvent>>();
        var cursor = 0L;
        while ((await store.ReadAfterAsync(cursor, 10, Ct)) is { Count: > 0 } page)
        {
            pages.Add(page);
            cursor = page[^1].Position;
        }

        Assert.Equal([10, 10, 5], pages.Select(p => p.Count));
        Assert.Equal(Enumerable.Range(1, 25).Select(v => (long)v), pages.SelectMany(p => p).Select(e => e.Event.Version));
        Assert.Equal(Enumerable.Range(1, 25).Select(v => (long)v), pages.SelectMany(p => p).Select(e => e.Position));
    }

    [Fact]
    public async Task Concurrent_appends_get_dense_strictly_increasing_positions_and_each_event_is_recorded_once()
    {
        var store = await CreateStoreAsync(TimeProvider.System);
        const int Writers = 8, Appends = 40;
        var returned = new ConcurrentBag<(DomainEvent Event, long Position)>();

        // Each writer is one entity delivering its outbox: batches of one or two events, every batch delivered twice.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var previous = 0L;
            for (var version = 1; version <= Appends; version += 2)
            {
                DomainEvent[] batch = version % 4 == 1 ? [City($"ie-w{w}", version), City($"ie-w{w}", version + 1)] : [City($"ie-w{w}", version)];
                var positions = await store.AppendAsync(batch, Ct);
                Assert.Equal(positions, await store.AppendAsync(batch, Ct));
                foreach (var (evt, position) in batch.Zip(positions))
                {
                    Assert.True(position > previous, "an entity's later event got an earlier position");
                    previous = position;
                    returned.Add((evt, position));
                }
            }
        }, Ct)));

        var log = await ReadAllAsync(store);
        Assert.Equal(Enumerable.Range(1, log.Count).Select(p => (long)p), log.Select(e => e.Position));
        Assert.Equal(log.Count, log.DistinctBy(e => (e.Event.Entity, e.Event.EntityId, e.Event.Version)).Count());
        Assert.Equal(returned.Count, log.Count);
        Assert.All(returned, r => Assert.Equal(r.Event, log[(int)r.Position - 1].Event));
        Assert.Equal(log.Count, await store.GetHeadAsync(Ct));
    }

    [Fact]
    public async Task A_reader_that_has_seen_a_position_never_later_finds_an_earlier_one()
    {
        var store = await CreateStoreAsync(TimeProvider.System);
        const int Writers = 6, EventsEach = 60;
        using var writing = new CancellationTokenSource();

        // The reader follows the log as the Api does: everything after its cursor. Positions are dense, so a hole
        // (an earlier position committed after a later one became visible) shows up as a page that does not start
        // right after the cursor, or skips inside.
        var reader = Task.Run(async () =>
        {
            var cursor = 0L;
            var reads = 0;
            while (!writing.IsCancellationRequested || cursor < Writers * EventsEach)
            {
                var page = await store.ReadAfterAsync(cursor, 50, Ct);
                foreach (var evt in page)
                {
                    Assert.Equal(cursor + 1, evt.Position);
                    cursor = evt.Position;
                }

                reads++;
            }

            return reads;
        }, Ct);
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var version = 1; version <= EventsEach; version++)
            {
                await store.AppendAsync([City($"ie-r{w}", version)], Ct);
            }
        }, Ct)));
        await writing.CancelAsync();

        Assert.True(await reader > 1);
        Assert.Equal(Writers * EventsEach, await store.GetHeadAsync(Ct));
    }

    [Fact]
    public async Task Retention_deletes_old_events_but_never_moves_the_head_back()
    {
        var time = new FakeTimeProvider(Start);
        var store = await CreateStoreAsync(time);
        await store.AppendAsync([City("ie-old", 1), City("ie-old", 2), City("ie-old", 3)], Ct);
        time.Advance(TimeSpan.FromDays(40));
        await store.AppendAsync([City("ie-new", 1), City("ie-new", 2)], Ct);

        Assert.Equal(3, await store.DeleteRecordedBeforeAsync(time.GetUtcNow() - TimeSpan.FromDays(30), Ct));
        Assert.Equal([4L, 5], (await ReadAllAsync(store)).Select(e => e.Position));

        // Everything is expired: the newest event stays, so the next position is still the head + 1.
        time.Advance(TimeSpan.FromDays(40));
        Assert.Equal(1, await store.DeleteRecordedBeforeAsync(time.GetUtcNow() - TimeSpan.FromDays(30), Ct));
        Assert.Equal(5, await store.GetHeadAsync(Ct));
        Assert.Equal([6L], await store.AppendAsync([City("ie-later", 1)], Ct));
        // A re-delivery of a deleted event is recorded again, at a new position (it was long delivered).
        Assert.Equal([7L], await store.AppendAsync([City("ie-old", 1)], Ct));
    }

    protected static DomainEvent City(string id, long version) =>
        new(DomainEventType.MembershipChanged, EntityKind.City, id, id[..2], id, null, "Member", Start.AddMinutes(version), version);

    private static async Task<List<FeedEvent>> ReadAllAsync(IEventLogStore store)
    {
        var all = new List<FeedEvent>();
        while ((await store.ReadAfterAsync(all.Count > 0 ? all[^1].Position : 0, 100, Ct)) is { Count: > 0 } page)
        {
            all.AddRange(page);
        }

        return all;
    }
}
