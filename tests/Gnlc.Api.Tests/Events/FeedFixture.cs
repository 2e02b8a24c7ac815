using Gnlc.Api.Events;
using Gnlc.Events;
using Gnlc.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Api.Tests.Events;

/// <summary>One embedded Api on real Kestrel for a test class, and what the tests look at through it.</summary>
public class FeedFixture : IAsyncLifetime
{
    private FeedApiFactory? _factory;

    public FeedApiFactory Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public Uri Address { get; private set; } = null!;

    public IServiceProvider Services => Factory.Services;

    public IClusterClient Grains => Services.GetRequiredService<IClusterClient>();

    public EventFeedHub Hub => Services.GetRequiredService<EventFeedHub>();

    /// <summary>The domain's event sink in the co-hosted silo: the log and its stream publication.</summary>
    public IDomainEventSink Sink => Services.GetRequiredService<IDomainEventSink>();

    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected virtual int? SendBufferSize => null;

    public ValueTask InitializeAsync()
    {
        _factory = new FeedApiFactory(Settings, SendBufferSize);
        Address = _factory.Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The whole event log, read the way the Api reads it (through the reader grain), in position order.</summary>
    public async Task<IReadOnlyList<FeedEvent>> ReadLogAsync()
    {
        var log = Grains.GetGrain<IEventLogGrain>(IEventLogGrain.Key);
        var all = new List<FeedEvent>();
        while (true)
        {
            var page = await log.ReadAfterAsync(all.Count > 0 ? all[^1].Position : 0, IEventLogGrain.MaxPage);
            if (page.IsEmpty)
            {
                return all;
            }

            all.AddRange(page);
        }
    }

    public Task<long> HeadAsync() => Grains.GetGrain<IEventLogGrain>(IEventLogGrain.Key).GetHeadAsync();

    /// <summary>
    /// The log's head, once the hub has passed it on (bounded wait). A client that connects without Last-Event-ID starts
    /// after what the hub has passed on, so one that connects after this receives only events recorded later, not the
    /// tail of an earlier test's events the hub had still to pass on.
    /// </summary>
    public async Task<long> CaughtUpHeadAsync()
    {
        var head = await HeadAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Hub.LastPosition < head)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The hub has passed on position {Hub.LastPosition}, the log's head is {head}.");
            }

            await Task.Delay(10);
        }

        return head;
    }

    /// <summary>Waits (bounded) until the hub has <paramref name="count"/> feed clients.</summary>
    public async Task WaitForSubscribersAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Hub.SubscriberCount != count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The hub has {Hub.SubscriberCount} feed clients, not {count}.");
            }

            await Task.Delay(10);
        }
    }
}

/// <summary>Checks of what a feed client received against the log.</summary>
public static class FeedAssert
{
    /// <summary>The client received exactly <paramref name="expected"/>: same positions, types and data, same order.</summary>
    public static void SameAsLog(IReadOnlyList<FeedEvent> expected, IReadOnlyList<SseEvent> received)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(received);
        Assert.Equal(expected.Select(e => e.Position), received.Select(e => e.Id));
        for (var i = 0; i < expected.Count; i++)
        {
            var evt = expected[i].Event;
            var got = received[i];
            Assert.Equal(evt.Type.ToString(), got.Event);
            Assert.Equal(evt.Type.ToString(), got.Type);
            Assert.Equal(evt.EntityId, got.EntityId);
            Assert.Equal(evt.Country, got.Country);
            Assert.Equal(evt.City, got.Data.GetProperty("city").GetString());
            Assert.Equal(evt.Period, got.Data.GetProperty("period").GetString());
            Assert.Equal(evt.Status, got.Status);
            Assert.Equal(evt.Version, got.Version);
            Assert.Equal(evt.OccurredAt, got.Data.GetProperty("occurredAt").GetDateTimeOffset());
        }
    }

    /// <summary>Each (entity, version) once, and each entity's versions strictly increasing in position order.</summary>
    public static void OncePerEntityVersionInOrder(IReadOnlyList<FeedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        Assert.Equal(events.Count, events.DistinctBy(e => (e.Event.Entity, e.Event.EntityId, e.Event.Version)).Count());
        Assert.True(events.Select(e => e.Position).SequenceEqual(events.Select(e => e.Position).Order()), "positions are not in order");
        foreach (var entity in events.GroupBy(e => (e.Event.Entity, e.Event.EntityId)))
        {
            var versions = entity.Select(e => e.Event.Version).ToList();
            Assert.True(versions.Zip(versions.Skip(1)).All(pair => pair.First < pair.Second),
                $"{entity.Key}: versions {string.Join(",", versions)} are not strictly increasing");
        }
    }
}
