using Orleans.Runtime;

namespace Gnlc.Events;

/// <summary>
/// The one place that builds the event feed's stream ids, so that producers (the silo's event sink) and consumers
/// (the HTTP front end) meet on identical ids: one stream namespace per entity kind, one well-known key in each.
/// Streams carry <see cref="FeedEvent"/> items on provider <see cref="ProviderNames.Events"/>.
/// </summary>
public static class FeedStreams
{
    /// <summary>The key of every feed stream: all events of a kind share one stream.</summary>
    public const string Key = "all";

    /// <summary>Every feed stream, one per <see cref="EntityKind"/>.</summary>
    public static IReadOnlyList<StreamId> All { get; } = [.. Enum.GetValues<EntityKind>().Select(For)];

    /// <summary>The stream that carries the events of <paramref name="kind"/>.</summary>
    public static StreamId For(EntityKind kind) => StreamId.Create(Namespace(kind), Key);

    /// <summary>The stream namespace of <paramref name="kind"/>, e.g. <c>events.city</c>.</summary>
    public static string Namespace(EntityKind kind) => kind switch
    {
        EntityKind.City => "events.city",
        EntityKind.Application => "events.application",
        EntityKind.Commission => "events.commission",
        EntityKind.Period => "events.period",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No feed stream for this entity kind."),
    };
}
