namespace Gnlc.Events;

/// <summary>
/// A committed <see cref="DomainEvent"/> with its place in the durable event log: <see cref="Position"/> is global,
/// strictly increasing, and becomes visible in position order, so a feed can resume after it (SSE <c>id</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("gnlc.FeedEvent")]
public sealed record FeedEvent(
    [property: Id(0)] long Position,
    [property: Id(1)] DomainEvent Event);
