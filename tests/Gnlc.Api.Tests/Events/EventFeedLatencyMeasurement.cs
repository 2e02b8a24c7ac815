using System.Diagnostics;
using System.Globalization;

namespace Gnlc.Api.Tests.Events;

/// <summary>
/// Not a performance assertion: measures, and prints, the time from an acknowledged write (the grain call returned)
/// to its event's receipt by each of 100 SSE clients, on the embedded default. Alone in its collection, so other
/// test classes do not share the machine while it measures.
/// </summary>
[Collection(RunsAloneDefinition.Name)]
public sealed class EventFeedLatencyMeasurement(FeedFixture fixture) : IClassFixture<FeedFixture>
{
    private const int Subscribers = 100;
    private const int Writes = 200;

    [Fact]
    public async Task Reports_the_latency_from_acknowledged_write_to_SSE_receipt_with_100_subscribers()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper!;
        var cycle = new MembershipCycle(fixture.Grains);
        var clients = new List<SseClient>();
        try
        {
            for (var i = 0; i < Subscribers; i++)
            {
                clients.Add(await SseClient.ConnectAsync(fixture.Address, cancellationToken: ct));
            }

            await fixture.WaitForSubscribersAsync(Subscribers);
            // Warm-up: the first writes pay for activations and JIT.
            for (var i = 0; i < 10; i++)
            {
                await cycle.RegisterCityAsync("DE", $"Warmup {i:D2}");
            }

            var warm = await fixture.HeadAsync();
            await Task.WhenAll(clients.Select(c => c.WaitForPositionAsync(warm)));

            var writes = new Dictionary<string, (long Started, long Acknowledged)>();
            for (var i = 0; i < Writes; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var city = await cycle.RegisterCityAsync("DE", $"Latency {i:D3}");
                writes[city.Id] = (started, Stopwatch.GetTimestamp());
            }

            var head = await fixture.HeadAsync();
            await Task.WhenAll(clients.Select(c => c.WaitForPositionAsync(head, TimeSpan.FromSeconds(60))));

            var fromAck = new List<double>();
            var fromStart = new List<double>();
            foreach (var client in clients)
            {
                var received = client.Events.Where(e => writes.ContainsKey(e.EntityId)).ToList();
                Assert.Equal(Writes, received.Count);
                foreach (var evt in received)
                {
                    var (started, acknowledged) = writes[evt.EntityId];
                    fromAck.Add(Stopwatch.GetElapsedTime(acknowledged, evt.ReceivedAt).TotalMilliseconds);
                    fromStart.Add(Stopwatch.GetElapsedTime(started, evt.ReceivedAt).TotalMilliseconds);
                }
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Event feed latency, {Subscribers} SSE clients x {Writes} sequential writes ({fromAck.Count} receipts):"));
            output.WriteLine(Summary("from acknowledged write", fromAck));
            output.WriteLine(Summary("from write start", fromStart));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static string Summary(string label, List<double> samples)
    {
        samples.Sort();
        double At(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"  {label}: median {At(0.5):F1} ms, p99 {At(0.99):F1} ms, min {samples[0]:F1} ms, max {samples[^1]:F1} ms");
    }
}
