using System.Data.Common;
using System.Globalization;
using Gnlc.Events;

namespace Gnlc.Silo.Events;

/// <summary>How both stores write and read an event row: enums by name, instants in UTC to the microsecond.</summary>
internal static class EventLogRows
{
    /// <summary>The columns every read selects, in the order <see cref="Read"/> expects.</summary>
    public const string Columns = "position, entity_kind, entity_id, version, type, country, city, period, status, occurred_at, reason";

    /// <summary>
    /// The event as the log keeps it: its instant in UTC, cut to whole microseconds (PostgreSQL's precision), so the
    /// event published live and the event read back from the log are equal.
    /// </summary>
    public static DomainEvent Normalize(DomainEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var utc = evt.OccurredAt.ToUniversalTime();
        var truncated = new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
        return truncated == evt.OccurredAt && evt.OccurredAt.Offset == TimeSpan.Zero ? evt : evt with { OccurredAt = truncated };
    }

    public static FeedEvent Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> readInstant)
    {
        var evt = new DomainEvent(
            Enum.Parse<DomainEventType>(reader.GetString(4)),
            Enum.Parse<EntityKind>(reader.GetString(1)),
            reader.GetString(2),
            NullableString(reader, 5),
            NullableString(reader, 6),
            NullableString(reader, 7),
            reader.GetString(8),
            readInstant(reader, 9),
            reader.GetInt64(3),
            NullableString(reader, 10));
        return new FeedEvent(reader.GetInt64(0), evt);
    }

    /// <summary>SQLite keeps instants as fixed-width ISO-8601 text, which sorts as the instants do.</summary>
    public static string SqliteInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseSqliteInstant(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
