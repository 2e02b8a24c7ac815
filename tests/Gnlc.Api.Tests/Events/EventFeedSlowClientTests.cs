namespace Gnlc.Api.Tests.Events;

/// <summary>
/// A small kernel send buffer, so that a client that stops reading backs the server up after kilobytes (not the
/// megabytes of loopback's default) and is cut off after about its client buffer (1,024 events) plus that.
/// </summary>
public sealed class SlowClientFixture : FeedFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gnlc:Events:CatchUpPageSize"] = "100",
    };

    protected override int? SendBufferSize => 16 * 1024;
}

/// <summary>Runs alone: a burst of tens of thousands of events, measured against a small send buffer.</summary>
[Collection(RunsAloneDefinition.Name)]
public sealed class EventFeedSlowClientTests(SlowClientFixture fixture) : IClassFixture<SlowClientFixture>
{
    private const int BatchSize = 50;
    private const int MaxEvents = 40_000;
    private const int AfterEviction = 500;

    // A quarter of the client buffer (1,024 events).
    private const int FastClientLead = 256;

    [Fact]
    public async Task A_client_that_stops_reading_is_cut_off_and_a_fast_client_receives_the_whole_burst()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = await fixture.CaughtUpHeadAsync();
        using var slow = await RawSseConnection.OpenAsync(fixture.Address, "", ct);
        await using var fast = await SseClient.ConnectAsync(fixture.Address, cancellationToken: ct);
        await fixture.WaitForSubscribersAsync(2);

        // A burst while the slow client's socket is not read, until the hub has let it go (bounded), then more. The
        // burst waits for the fast client to come within a quarter of its buffer, so that a test machine busy
        // elsewhere cannot make the fast client the one that falls behind; the slow client reads nothing at all.
        var published = 0;
        while (fixture.Hub.SubscriberCount == 2 && published < MaxEvents)
        {
            await fixture.Sink.PublishAsync(SyntheticEvents.Registrations("burst", published, BatchSize), ct);
            published += BatchSize;
            await fast.WaitForAsync(events => events.Count >= published - FastClientLead, TimeSpan.FromSeconds(60));
        }

        Assert.Equal(1, fixture.Hub.SubscriberCount);
        await fixture.Sink.PublishAsync(SyntheticEvents.Registrations("burst", published, AfterEviction), ct);
        published += AfterEviction;

        // The fast client got every event of the burst, in order, and is still connected.
        var log = (await fixture.ReadLogAsync()).Where(e => e.Position > before).ToList();
        Assert.Equal(published, log.Count);
        FeedAssert.SameAsLog(log, await fast.WaitForPositionAsync(log[^1].Position, TimeSpan.FromSeconds(60)));
        Assert.False(fast.Ended.IsCompleted);

        // The slow client's connection was ended by the server (closed or reset while the server is still up).
        var text = await slow.DrainUntilClosedAsync(TimeSpan.FromSeconds(30));
        Assert.True(text.Split("\nid: ").Length - 1 < published, "the slow client received the whole burst");
    }
}
