using Gnlc.Events;
using Orleans.Streams;

namespace Gnlc.Api.Tests.Events;

/// <summary>
/// Malformed and oversize items on the feed streams (as a faulty or hostile producer would publish them): each is
/// skipped, the stream keeps going, and the next good event reaches the clients at its own position.
/// </summary>
public sealed class MalformedStreamEventTests(FeedFixture fixture) : IClassFixture<FeedFixture>
{
    [Fact]
    public async Task A_bad_stream_event_is_skipped_and_the_next_good_event_still_arrives()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await SseClient.ConnectAsync(fixture.Address, cancellationToken: ct);
        await fixture.WaitForSubscribersAsync(1);
        var head = await fixture.HeadAsync();
        var now = DateTimeOffset.UtcNow;
        DomainEvent Valid(string id) => new(DomainEventType.CityRegistered, EntityKind.City, id, "IE", id, null, "Candidate", now, 1);
        FeedEvent[] bad =
        [
            new(head + 1, null!),
            new(head + 1, Valid(new string('x', 1_000_000))),
            new(head + 1, Valid("ie-bad") with { Type = (DomainEventType)999 }),
            new(head + 1, Valid("ie-bad") with { Entity = (EntityKind)77 }),
            new(head + 1, Valid(string.Empty)),
            new(head + 1, Valid("ie-bad\r\nevent: injected")),
            new(head + 1, Valid("ie-bad") with { Status = new string('s', 10_000) }),
            new(head + 1, Valid("ie-bad") with { Reason = new string('r', 100_000) }),
            new(head + 1, Valid("ie-bad") with { Version = -1 }),
            new(-5, Valid("ie-bad")),
            new(0, Valid("ie-bad")),
        ];

        var streams = fixture.Grains.GetStreamProvider(ProviderNames.Events);
        var stream = streams.GetStream<FeedEvent>(FeedStreams.For(EntityKind.City));
        foreach (var item in bad)
        {
            await stream.OnNextAsync(item);
        }

        // The next good event takes position head + 1 in the log: none of the bad ones may have claimed it.
        await fixture.Sink.PublishAsync(SyntheticEvents.Registrations("guard", 0, 2), ct);
        var log = (await fixture.ReadLogAsync()).Where(e => e.Position > head).ToList();
        Assert.Equal(2, log.Count);
        var received = await client.WaitForPositionAsync(log[^1].Position);
        FeedAssert.SameAsLog(log, [.. received.Where(e => e.Id > head)]);
        Assert.DoesNotContain(received, e => e.EntityId.StartsWith("ie-bad", StringComparison.Ordinal) || e.EntityId.Length > 256);
        Assert.Equal(log[^1].Position, fixture.Hub.LastPosition);
    }
}
