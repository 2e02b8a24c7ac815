using Gnlc.Api.Events;
using Gnlc.Api.Tests.Events;
using Gnlc.Events;
using Gnlc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Events.Tests;

/// <summary>
/// Clustered mode end to end: grains on a PostgreSQL silo append to the log in PostgreSQL and publish on the
/// streams; the Api, an Orleans client, subscribes to them and serves the feed over HTTP.
/// </summary>
public sealed class ClusteredFeedTests(PostgresServer server)
{
    [Fact]
    public async Task An_Api_that_is_a_client_of_the_cluster_streams_the_committed_changes_and_resumes_from_the_log()
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = ClusterIds.New(await server.CreateDatabaseAsync("clustered_feed"));
        await using var silo = await PostgresSiloHost.StartAsync(ids, ct);
        await using var api = new ClusteredApiFactory(ids, new Dictionary<string, string?>());
        var address = api.Start();
        var grains = api.Services.GetRequiredService<IClusterClient>();
        var cycle = new MembershipCycle(grains);

        await using var live = await SseClient.ConnectAsync(address, "?country=fr", cancellationToken: ct);
        await WaitForSubscribersAsync(api, 1);
        var paris = await cycle.RegisterCityAsync("FR", "Paris");
        await cycle.RegisterCityAsync("IE", "Galway");
        var lyon = await cycle.RegisterCityAsync("FR", "Lyon");

        var received = await live.WaitForAsync(events => events.Count >= 2);
        Assert.Equal([paris.Id, lyon.Id], received.Select(e => e.EntityId));
        Assert.All(received, e => Assert.Equal(nameof(DomainEventType.CityRegistered), e.Event));
        var log = grains.GetGrain<IEventLogGrain>(IEventLogGrain.Key);
        Assert.Equal(3, await log.GetHeadAsync());

        await using var resumed = await SseClient.ConnectAsync(address, lastEventId: 0, cancellationToken: ct);
        var all = await resumed.WaitForAsync(events => events.Count >= 3);
        Assert.Equal([1L, 2, 3], all.Select(e => e.Id));
        Assert.Equal((await log.ReadAfterAsync(0, 10)).Select(e => e.Event.EntityId), all.Select(e => e.EntityId));
    }

    /// <remarks>
    /// The subscription is kept in the PubSubStore (PostgreSQL), so the new silo's pulling agents deliver to the Api
    /// even without the hub's resubscription on reconnect (which is a safeguard for a pub-sub that dropped it).
    /// </remarks>
    [Fact]
    public async Task After_its_only_silo_is_replaced_live_events_still_reach_the_feed_through_the_streams()
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = ClusterIds.New(await server.CreateDatabaseAsync("clustered_resubscribe"));
        var first = await PostgresSiloHost.StartAsync(ids, ct);
        // No periodic read of the log: live events can only come through the stream subscription.
        await using var api = new ClusteredApiFactory(ids, new Dictionary<string, string?> { ["Gnlc:Events:PollInterval"] = "01:00:00" });
        var address = api.Start();
        var cycle = new MembershipCycle(api.Services.GetRequiredService<IClusterClient>());
        await using var client = await SseClient.ConnectAsync(address, cancellationToken: ct);
        await WaitForSubscribersAsync(api, 1);
        await cycle.RegisterCityAsync("FR", "Nantes");
        await client.WaitForAsync(events => events.Count >= 1);

        await first.DisposeAsync();
        await using var second = await PostgresSiloHost.StartAsync(ids, ct);
        // The client reconnects to the new silo (bounded retry: calls fail until it has).
        var rennes = await RetryAsync(() => cycle.RegisterCityAsync("FR", "Rennes"));

        var received = await client.WaitForAsync(events => events.Count >= 2, TimeSpan.FromSeconds(60));
        Assert.Equal(rennes.Id, received[^1].EntityId);
        Assert.Equal([1L, 2], received.Select(e => e.Id));
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception exception) when (exception is not Gnlc.Errors.DomainException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    private static async Task WaitForSubscribersAsync(ClusteredApiFactory api, int count)
    {
        var hub = api.Services.GetRequiredService<EventFeedHub>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (hub.SubscriberCount != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the hub has {hub.SubscriberCount} feed clients");
            await Task.Delay(10);
        }
    }
}
