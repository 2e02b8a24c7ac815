using Gnlc.Events;
using Gnlc.Silo.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Api.Tests.Events;

/// <summary>Resumption with Last-Event-ID, and events whose stream notification never came.</summary>
public sealed class EventFeedResumeTests(FeedFixture fixture) : IClassFixture<FeedFixture>
{
    [Fact]
    public async Task A_client_that_reconnects_with_Last_Event_ID_after_a_disconnect_mid_burst_misses_nothing_and_gets_nothing_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        var cycle = new MembershipCycle(fixture.Grains);
        var before = await fixture.CaughtUpHeadAsync();
        var first = await SseClient.ConnectAsync(fixture.Address, cancellationToken: ct);
        await fixture.WaitForSubscribersAsync(1);

        // A burst of real writes: 150 registrations, four at a time. The first connection ends once it has 30 events;
        // the burst goes on after its 60th registration only then, so the end falls in the middle of it however
        // fast the writes are.
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var burst = Task.Run(async () =>
        {
            foreach (var chunk in Enumerable.Range(0, 150).Chunk(4))
            {
                if (chunk[0] >= 60)
                {
                    await disconnected.Task.WaitAsync(ct);
                }

                await Task.WhenAll(chunk.Select(i => cycle.RegisterCityAsync("IE", $"Burst Town {i:D3}")));
            }
        }, ct);
        await first.WaitForAsync(events => events.Count >= 30);
        await first.DisposeAsync();
        disconnected.SetResult();
        var seen = first.Events;

        await using var resumed = await SseClient.ConnectAsync(fixture.Address, lastEventId: seen[^1].Id, cancellationToken: ct);
        await burst;
        var log = (await fixture.ReadLogAsync()).Where(e => e.Position > before).ToList();
        Assert.Equal(150, log.Count);
        Assert.True(seen.Count < log.Count, "the first connection ended after the burst, not in the middle of it");

        var rest = await resumed.WaitForPositionAsync(log[^1].Position);
        FeedAssert.SameAsLog(log, [.. seen, .. rest]);
    }

    [Fact]
    public async Task A_polyfill_resumes_with_the_lastEventId_query_and_its_filter_applies_to_the_catch_up()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = await fixture.HeadAsync();
        await fixture.Sink.PublishAsync(SyntheticEvents.Registrations("polyfill", 0, 20), ct);
        await fixture.Sink.PublishAsync(
            [new DomainEvent(DomainEventType.PeriodScheduled, EntityKind.Period, "p-resume", null, null, "p-resume", "Scheduled", DateTimeOffset.UtcNow, 1)], ct);
        var log = (await fixture.ReadLogAsync()).Where(e => e.Position > before).ToList();

        await using var cities = await SseClient.ConnectAsync(fixture.Address, $"?lastEventId={before}&types=CityRegistered", cancellationToken: ct);
        await using var periods = await SseClient.ConnectAsync(fixture.Address, $"?lastEventId={before}&period=p-resume", cancellationToken: ct);

        FeedAssert.SameAsLog([.. log.Where(e => e.Event.Type == DomainEventType.CityRegistered)], await cities.WaitForAsync(e => e.Count >= 20));
        FeedAssert.SameAsLog([.. log.Where(e => e.Event.Period == "p-resume")], await periods.WaitForAsync(e => e.Count >= 1));
    }

    [Fact]
    public async Task Events_recorded_without_a_stream_notification_still_reach_clients_in_order()
    {
        var ct = TestContext.Current.CancellationToken;
        await fixture.CaughtUpHeadAsync();
        await using var client = await SseClient.ConnectAsync(fixture.Address, cancellationToken: ct);
        await fixture.WaitForSubscribersAsync(1);
        var store = fixture.Services.GetRequiredService<IEventLogStore>();

        // Recorded in the log, but no stream notification (as if a memory stream lost it): the hub's poll finds it.
        var lost = await store.AppendAsync(SyntheticEvents.Registrations("lost", 0, 3), ct);
        await client.WaitForPositionAsync(lost[^1]);
        // Lost again, then an event whose notification arrives: the gap before it is read from the log.
        var lostAgain = await store.AppendAsync(SyntheticEvents.Registrations("lost", 3, 2), ct);
        await fixture.Sink.PublishAsync(SyntheticEvents.Registrations("lost", 5, 1), ct);

        var log = (await fixture.ReadLogAsync()).Where(e => e.Position >= lost[0]).ToList();
        Assert.Equal(6, log.Count);
        Assert.Equal(lostAgain[^1] + 1, log[^1].Position);
        FeedAssert.SameAsLog(log, await client.WaitForPositionAsync(log[^1].Position));
    }
}
