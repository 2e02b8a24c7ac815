using Gnlc.Api.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gnlc.Api.Tests.Events;

/// <summary>Short heartbeats and a recognisable retry hint.</summary>
public sealed class LifetimeFixture : FeedFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gnlc:Events:HeartbeatInterval"] = "00:00:00.200",
        ["Gnlc:Events:RetryHint"] = "00:00:04.500",
    };
}

public sealed class EventFeedLifetimeTests(LifetimeFixture fixture) : IClassFixture<LifetimeFixture>
{
    [Fact]
    public async Task An_idle_feed_sends_heartbeats_and_at_shutdown_ends_cleanly_after_a_retry_hint()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await SseClient.ConnectAsync(fixture.Address, cancellationToken: ct);
        await fixture.WaitForSubscribersAsync(1);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (client.Comments.Count(c => c == "heartbeat") < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "no heartbeats");
            await Task.Delay(20, ct);
        }

        Assert.Equal("gnlc event feed", client.Comments[0]);
        Assert.Equal([4500L], client.Retries);

        fixture.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.True(await client.Ended.WaitAsync(TimeSpan.FromSeconds(30), ct), "the response did not end cleanly");
        Assert.Equal([4500L, 4500L], client.Retries);
        // The retry hint, then the final comment, were the last things written before the response ended.
        Assert.Equal(EventStreamResult.ShutdownComment, client.Comments[^1]);
    }

    [Fact]
    public async Task A_host_that_stops_ends_its_feeds_with_a_retry_hint_and_a_final_comment_over_a_real_socket()
    {
        var ct = TestContext.Current.CancellationToken;
        var factory = new FeedApiFactory(new Dictionary<string, string?> { ["Gnlc:Events:RetryHint"] = "00:00:02.500" });
        SseClient? client = null;
        try
        {
            var address = factory.Start();
            client = await SseClient.ConnectAsync(address, cancellationToken: ct);
            var hub = factory.Services.GetRequiredService<EventFeedHub>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (hub.SubscriberCount != 1)
            {
                Assert.True(DateTime.UtcNow < deadline, "the feed client did not subscribe");
                await Task.Delay(10, ct);
            }

            // The whole host stops, as on SIGTERM: Kestrel waits for the open response, which ends at ApplicationStopping.
            await factory.DisposeAsync();

            Assert.True(await client.Ended.WaitAsync(TimeSpan.FromSeconds(30), ct), "the response did not end cleanly");
            Assert.Equal([2500L, 2500L], client.Retries);
            Assert.Equal(EventStreamResult.ShutdownComment, client.Comments[^1]);
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            await factory.DisposeAsync();
        }
    }
}
