using Gnlc.Events;

namespace Gnlc.Api.Events;

/// <summary>
/// What the feed accepts from a stream or the log: a positive position, a known type and entity kind, an entity
/// id, and every text within bounds. A malformed or oversize item is skipped (and logged by position only),
/// never passed to clients, and never stops the stream.
/// </summary>
public static class FeedEventGuard
{
    public const int MaxIdLength = 256;
    public const int MaxStatusLength = 64;
    public const int MaxReasonLength = 4_000;

    public static bool IsValid(FeedEvent? item)
    {
        if (item is not { Position: > 0, Event: { } evt })
        {
            return false;
        }

        return Enum.IsDefined(evt.Type)
            && Enum.IsDefined(evt.Entity)
            && evt.EntityId is { Length: > 0 and <= MaxIdLength }
            && evt.Status is { Length: > 0 and <= MaxStatusLength }
            && (evt.Country?.Length ?? 0) <= MaxIdLength
            && (evt.City?.Length ?? 0) <= MaxIdLength
            && (evt.Period?.Length ?? 0) <= MaxIdLength
            && (evt.Reason?.Length ?? 0) <= MaxReasonLength
            && evt.Version >= 0
            && !HasControlCharacters(evt.EntityId) && !HasControlCharacters(evt.Status);
    }

    private static bool HasControlCharacters(string text) => text.Any(char.IsControl);
}
