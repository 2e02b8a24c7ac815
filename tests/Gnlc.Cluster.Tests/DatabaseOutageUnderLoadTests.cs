using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gnlc.Cluster.Tests.Infrastructure;
using Gnlc.Events;
using Gnlc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Cluster.Tests;

/// <summary>
/// PostgreSQL stopped and started again while writers keep registering cities through the clustered Api over
/// real HTTP: every answer is a 201 or a 503 with <c>Retry-After</c> (never a 500, never a hang); afterwards every
/// acknowledged city is stored with its one event, every city answered 503 is either fully there (entity and
/// event) or not at all; readiness is unhealthy during and healthy after, and the cluster recovers alone.
/// </summary>
[Collection(nameof(DatabaseOutage))]
public sealed class DatabaseOutageUnderLoadTests(PostgresServer server, ITestOutputHelper output)
{
    private const int Writers = 4;
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan LoadAfterRecovery = TimeSpan.FromSeconds(3);

    /// <summary>How long the outboxes get to deliver what the outage held back (their retry timer backs off to a minute).</summary>
    private static readonly TimeSpan OutboxSettle = TimeSpan.FromMinutes(2);

    private sealed record Write(string Name, string CityId, HttpStatusCode Status, bool RetryAfter, long Milliseconds);

    [Fact]
    public async Task Writes_under_load_through_an_outage_are_acknowledged_or_503_and_nothing_is_half_written()
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = ClusterIdentity.New(await server.CreateDatabaseAsync("outload"));
        await using var silo = await PostgresSilo.StartAsync(cluster, ct);
        await using var api = new ClusterApiFactory(cluster);
        api.StartServer();
        using var http = api.CreateClient();
        http.Timeout = TimeSpan.FromMinutes(2);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DevelopmentTokens.CoordinatorAsync(http, ct));
        var headBefore = await LogHeadAsync(api);

        var writes = new ConcurrentQueue<Write>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var counter = 0;
        var load = Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref counter);
                var name = "Outage Town " + Letters(n);
                var watch = Stopwatch.StartNew();
                using var response = await http.PostAsJsonAsync(
                    "/api/v1/cities", new { name, countryCode = "IE", population = 1000 + n, mayor = "Mayor " + n }, CancellationToken.None);
                var id = GrainKeys.NewCityId("IE", name);
                writes.Enqueue(new Write(name, id, response.StatusCode, response.Headers.RetryAfter is not null, watch.ElapsedMilliseconds));
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    await Task.Delay(50, CancellationToken.None);
                }
            }
        }, CancellationToken.None)).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        await server.StopAsync();
        var readyDuring = new List<HttpStatusCode>();
        DateTime restartedAt;
        try
        {
            var outage = Stopwatch.StartNew();
            while (outage.Elapsed < OutageLength)
            {
                using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
                readyDuring.Add(ready.StatusCode);
                await Task.Delay(500, ct);
            }
        }
        finally
        {
            await server.StartAsync();
            restartedAt = DateTime.UtcNow;
        }

        var acknowledgedBefore = writes.Count(w => w.Status == HttpStatusCode.Created);
        var recovery = Stopwatch.StartNew();
        TimeSpan? recoveredAfter = null;
        while (recoveredAfter is null && recovery.Elapsed < TimeSpan.FromMinutes(3))
        {
            var afterRestart = writes.Count(w => w.Status == HttpStatusCode.Created);
            if (afterRestart > acknowledgedBefore)
            {
                recoveredAfter = recovery.Elapsed;
                break;
            }

            await Task.Delay(100, ct);
        }

        await Task.Delay(LoadAfterRecovery, ct);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var all = writes.ToList();
        var acked = all.Where(w => w.Status == HttpStatusCode.Created).ToList();
        var unavailable = all.Where(w => w.Status == HttpStatusCode.ServiceUnavailable).ToList();
        var other = all.Except(acked).Except(unavailable).ToList();
        Assert.True(other.Count == 0, "answers other than 201 and 503: " + string.Join(", ", other.Select(w => $"{w.Name} {(int)w.Status}")));
        Assert.All(unavailable, w => Assert.True(w.RetryAfter, $"{w.Name}: 503 without Retry-After"));
        Assert.NotNull(recoveredAfter);
        Assert.NotEmpty(unavailable);
        Assert.Contains(HttpStatusCode.ServiceUnavailable, readyDuring);

        // Settled: readiness is back, and every write is all or nothing, entity and event alike.
        using (var readyAfter = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), ct))
        {
            Assert.Equal(HttpStatusCode.OK, readyAfter.StatusCode);
        }

        var storedCities = new HashSet<string>(StringComparer.Ordinal);
        foreach (var write in all)
        {
            using var city = await http.GetAsync(new Uri("/api/v1/cities/" + write.CityId, UriKind.Relative), ct);
            Assert.True(city.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{write.CityId}: {(int)city.StatusCode}");
            if (city.StatusCode == HttpStatusCode.OK)
            {
                storedCities.Add(write.CityId);
            }
        }

        // Events follow their writes through the grains' outboxes: one whose delivery failed in the outage is
        // retried by the grain's timer, so wait (bounded) until every stored city's event has landed.
        var events = await CityRegisteredEventsAsync(api, headBefore);
        for (var wait = Stopwatch.StartNew(); storedCities.Any(c => !events.ContainsKey(c)) && wait.Elapsed < OutboxSettle;)
        {
            await Task.Delay(500, ct);
            events = await CityRegisteredEventsAsync(api, headBefore);
        }

        var lost = 0;
        var landedDespite503 = 0;
        foreach (var write in all)
        {
            var stored = storedCities.Contains(write.CityId);
            var logged = events.GetValueOrDefault(write.CityId);
            if (write.Status == HttpStatusCode.Created)
            {
                lost += stored ? 0 : 1;
                Assert.True(stored, $"{write.CityId} was acknowledged but is not stored");
            }
            else if (stored)
            {
                landedDespite503++;
            }

            Assert.True(logged == (stored ? 1 : 0), $"{write.CityId}: stored {stored}, {logged} CityRegistered event(s) in the log");
        }

        var latencies = all.Select(w => w.Milliseconds).Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"writes attempted {all.Count}, acknowledged {acked.Count}, 503 {unavailable.Count} (of which landed {landedDespite503}), other {other.Count}, lost {lost}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first 201 {recoveredAfter!.Value.TotalMilliseconds:F0} ms after PostgreSQL was restarted at {restartedAt:O}; readiness during the outage: {string.Join(",", readyDuring.Select(s => (int)s))}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency ms p50 {latencies[latencies.Count / 2]}, p99 {latencies[(int)(latencies.Count * 0.99)]}, max {latencies[^1]}"));
    }

    /// <summary>The number of CityRegistered events per city after <paramref name="after"/>.</summary>
    private static async Task<Dictionary<string, int>> CityRegisteredEventsAsync(ClusterApiFactory api, long after)
    {
        var log = api.Services.GetRequiredService<IClusterClient>().GetGrain<IEventLogGrain>(IEventLogGrain.Key);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var position = after;
        while (true)
        {
            var page = await log.ReadAfterAsync(position, IEventLogGrain.MaxPage);
            if (page.IsEmpty)
            {
                return counts;
            }

            foreach (var item in page.Where(e => e.Event.Type == DomainEventType.CityRegistered))
            {
                counts[item.Event.EntityId] = counts.GetValueOrDefault(item.Event.EntityId) + 1;
            }

            position = page[^1].Position;
        }
    }

    private static Task<long> LogHeadAsync(ClusterApiFactory api) =>
        api.Services.GetRequiredService<IClusterClient>().GetGrain<IEventLogGrain>(IEventLogGrain.Key).GetHeadAsync();

    /// <summary>A letters-only name part for <paramref name="n"/> (city ids take letters; names differ per write).</summary>
    private static string Letters(int n)
    {
        var chars = new char[6];
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            chars[i] = (char)('a' + (n % 26));
            n /= 26;
        }

        return new string(chars);
    }

}
