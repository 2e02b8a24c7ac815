namespace Gnlc.Api.Tests.Events;

/// <summary>Events expire a millisecond after they are recorded, and the silo's retention runs five times a second.</summary>
public sealed class RetentionFixture : FeedFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gnlc:Events:Retention"] = "00:00:00.001",
        ["Gnlc:Events:RetentionInterval"] = "00:00:00.200",
    };
}

public sealed class EventLogRetentionTests(RetentionFixture fixture) : IClassFixture<RetentionFixture>
{
    [Fact]
    public async Task The_silo_deletes_expired_events_in_the_background_and_positions_keep_counting()
    {
        var ct = TestContext.Current.CancellationToken;
        await fixture.Sink.PublishAsync(SyntheticEvents.Registrations("expiring", 0, 5), ct);
        var head = await fixture.HeadAsync();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<Gnlc.Events.FeedEvent> log;
        while ((log = await fixture.ReadLogAsync()).Count > 1)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{log.Count} events are still in the log");
            await Task.Delay(50, ct);
        }

        // The newest event stays, so the head does not move back and the next event follows it.
        Assert.Equal(head, Assert.Single(log).Position);
        await fixture.Sink.PublishAsync(SyntheticEvents.Registrations("expiring", 5, 1), ct);
        Assert.Equal(head + 1, await fixture.HeadAsync());
    }
}
