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
    }
}
