using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gnlc.Actors;
using Gnlc.Api.Events;
using Gnlc.Api.Tests.Events;
using Gnlc.Cities;
using Gnlc.Events;
using Gnlc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Events.Tests;

/// <summary>
/// The feed of a PostgreSQL cluster under the conditions of production: several Api processes (each an Orleans
/// client on its own Kestrel port) and silos that die during a burst of changes.
/// </summary>
public sealed class ClusteredFeedFaultTests(PostgresServer server, ITestOutputHelper output)
{
    private static readonly TimeSpan DeliveryWait = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Two_Apis_of_one_cluster_serve_the_same_ordered_sequence_of_every_change()
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = ClusterIds.New(await server.CreateDatabaseAsync("two_apis_feed"));
        await using var silo1 = await PostgresSiloHost.StartAsync(ids, ct);
        await using var silo2 = await PostgresSiloHost.StartAsync(ids, ct);
        await using var apiA = new ClusteredApiFactory(ids, new Dictionary<string, string?>());
        await using var apiB = new ClusteredApiFactory(ids, new Dictionary<string, string?>());
        var addressA = apiA.Start();
        var addressB = apiB.Start();
        Assert.NotEqual(addressA.Port, addressB.Port);
        var cycles = new[]
        {
            new MembershipCycle(apiA.Services.GetRequiredService<IClusterClient>()),
            new MembershipCycle(apiB.Services.GetRequiredService<IClusterClient>()),
        };

        await using var clientA = await SseClient.ConnectAsync(addressA, cancellationToken: ct);
        await using var clientB = await SseClient.ConnectAsync(addressB, cancellationToken: ct);
        Assert.Equal(HttpStatusCode.OK, clientA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, clientB.StatusCode);
        await WaitForSubscribersAsync(apiA, 1);
        await WaitForSubscribersAsync(apiB, 1);

        // A burst, alternating between the two Apis' cluster clients and run concurrently per city:
        // 20 members registered, 8 suspended, 8 ended (4 of them after their suspension).
        var memberSince = (await cycles[0].Clock.GetNowAsync()).AddYears(-1);
        var acknowledged = new List<(string EntityId, long Version)>();
        var sync = new Lock();
        void Ack(CityView view)
        {
            lock (sync)
            {
                acknowledged.Add((view.Id, view.Version));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            var name = "Burst " + i.ToString(CultureInfo.InvariantCulture);
            var cycle = cycles[i % 2];
            var city = cycle.City(GrainKeys.NewCityId("FR", name));
            Ack(await city.RegisterAsync(Actor.Coordinator, new RegisterCity(name, "FR", 100_000 + i, "Mayor", memberSince)));
            if (i < 8)
            {
                Ack(await cycles[(i + 1) % 2].City(GrainKeys.NewCityId("FR", name)).SuspendAsync(Actor.Coordinator, "Suspended in the burst."));
            }

            if (i is >= 4 and < 12)
            {
                Ack(await cycle.City(GrainKeys.NewCityId("FR", name)).EndMembershipAsync(Actor.Coordinator, "Ended in the burst."));
            }
        }));

        Assert.Equal(36, acknowledged.Count);
        var log = apiA.Services.GetRequiredService<IClusterClient>().GetGrain<IEventLogGrain>(IEventLogGrain.Key);
        var head = await WaitForHeadAsync(log, 36);
        Assert.Equal(36, head);

        var receivedA = await clientA.WaitForAsync(events => events.Count >= 36, DeliveryWait);
        var receivedB = await clientB.WaitForAsync(events => events.Count >= 36, DeliveryWait);
        var sequenceA = receivedA.Select(e => (e.Id, e.EntityId, e.Version)).ToList();
        var sequenceB = receivedB.Select(e => (e.Id, e.EntityId, e.Version)).ToList();

        Assert.Equal(sequenceA, sequenceB);
        Assert.Equal(Enumerable.Range(1, 36).Select(i => (long)i), sequenceA.Select(e => e.Id));
        AssertNoDuplicatesAndVersionsIncrease(sequenceA.Select(e => (e.EntityId, e.Version)).ToList());
        Assert.Equal(
            acknowledged.OrderBy(a => a.EntityId, StringComparer.Ordinal).ThenBy(a => a.Version),
            sequenceA.Select(e => (e.EntityId, e.Version)).OrderBy(a => a.EntityId, StringComparer.Ordinal).ThenBy(a => a.Version));

        // The sequence both clients saw is the log's.
        var stored = await log.ReadAfterAsync(0, 100);
        Assert.Equal(stored.Select(e => (e.Position, e.Event.EntityId, e.Event.Version)), sequenceA);
    }

    [Fact]
    public async Task A_client_that_resumes_after_a_silo_was_killed_during_a_burst_has_seen_every_acknowledged_write_once_in_order()
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = ClusterIds.New(await server.CreateDatabaseAsync("killed_silo_feed"));
        await using var silo1 = await PostgresSiloHost.StartAsync(ids, ct);
        await using var silo2 = await PostgresSiloHost.StartAsync(ids, ct);
        await using var silo3 = await PostgresSiloHost.StartAsync(ids, ct);
        await using var api = new ClusteredApiFactory(ids, new Dictionary<string, string?>());
        var address = api.Start();
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await CoordinatorTokenAsync(http, ct));

        var first = await SseClient.ConnectAsync(address, cancellationToken: ct);
        await WaitForSubscribersAsync(api, 1);

        var acknowledged = new List<(string EntityId, long Version)>();
        var statuses = new List<HttpStatusCode>();
        var refused = new List<string>();
        var sync = new Lock();
        const int Writes = 48;
        var next = -1;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IReadOnlyList<SseEvent> beforeDisconnect = [];

        async Task WriterAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Writes)
            {
                if (i == Writes / 3)
                {
                    // Mid-burst: a silo dies abruptly, then the feed client drops its connection.
                    await silo2.KillAsync();
                    output.WriteLine($"silo killed after {i} writes started");
                    beforeDisconnect = first.Events;
                    await first.DisposeAsync();
                    killed.SetResult();
                }

                var name = "Burst " + i.ToString(CultureInfo.InvariantCulture);
                using var response = await http.PostAsJsonAsync(
                    "/api/v1/cities", new { name, countryCode = "IE", population = 50_000 + i, mayor = "Mayor of " + name }, ct);
                lock (sync)
                {
                    statuses.Add(response.StatusCode);
                }

                if (!response.IsSuccessStatusCode)
                {
                    lock (sync)
                    {
                        refused.Add(GrainKeys.NewCityId("IE", name));
                    }
                }
                else
                {
                    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                    var ack = (body.RootElement.GetProperty("id").GetString()!, body.RootElement.GetProperty("version").GetInt64());
                    lock (sync)
                    {
                        acknowledged.Add(ack);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(WriterAsync, ct)));
        await killed.Task;
        output.WriteLine($"statuses: {string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{(int)g.Key}×{g.Count()}"))}");
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
        Assert.NotEmpty(acknowledged);

        var lastSeen = beforeDisconnect is [.., var last] ? last.Id : 0;
        output.WriteLine($"first connection saw {beforeDisconnect.Count} events, last id {lastSeen}; {acknowledged.Count} writes acknowledged");
        await using var resumed = await SseClient.ConnectAsync(address, lastEventId: lastSeen, cancellationToken: ct);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);

        // Outboxes of grains whose silo died retry (timer, then reminder): wait, bounded, until every acknowledged
        // write has come through.
        var ackSet = acknowledged.ToHashSet();
        var after = await resumed.WaitForAsync(
            events => ackSet.IsSubsetOf(beforeDisconnect.Concat(events).Select(e => (e.EntityId, e.Version))),
            DeliveryWait);

        // Let late deliveries of 503-answered writes settle, then compare with the log's head.
        var log = api.Services.GetRequiredService<IClusterClient>().GetGrain<IEventLogGrain>(IEventLogGrain.Key);
        var head = await log.GetHeadAsync();
        after = await resumed.WaitForPositionAsync(head, DeliveryWait);

        var all = beforeDisconnect.Concat(after).ToList();
        var positions = all.Select(e => e.Id).ToList();
        Assert.All(after, e => Assert.True(e.Id > lastSeen, $"event {e.Id} resent after Last-Event-ID {lastSeen}"));
        Assert.Equal(Enumerable.Range(1, positions.Count).Select(i => (long)i), positions);
        var changes = all.Select(e => (e.EntityId, e.Version)).ToList();
        AssertNoDuplicatesAndVersionsIncrease(changes);
        Assert.All(acknowledged, ack => Assert.Equal(1, changes.Count(c => c == ack)));
        Assert.All(all, e => Assert.Equal(nameof(DomainEventType.CityRegistered), e.Event));
        output.WriteLine($"writes answered 503 that still appear in the feed: {refused.Count(id => changes.Any(c => c.EntityId == id))} of {refused.Count}");
    }

    private static void AssertNoDuplicatesAndVersionsIncrease(List<(string EntityId, long Version)> changes)
    {
        Assert.Equal(changes.Count, changes.Distinct().Count());
        foreach (var entity in changes.GroupBy(c => c.EntityId))
        {
            var versions = entity.Select(c => c.Version).ToList();
            Assert.True(
                versions.Zip(versions.Skip(1)).All(p => p.First < p.Second),
                $"{entity.Key}: versions {string.Join(", ", versions)} in feed order");
        }
    }

    private static async Task<long> WaitForHeadAsync(IEventLogGrain log, long head)
    {
        var deadline = DateTime.UtcNow + DeliveryWait;
        long current;
        while ((current = await log.GetHeadAsync()) < head && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return current;
    }

    private static async Task<string> CoordinatorTokenAsync(HttpClient http, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/dev/tokens", new { role = "coordinator" }, ct);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.GetProperty("token").GetString()!;
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
