using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gnlc.Events;

namespace Gnlc.Api.Events;

/// <summary>The <c>data</c> of a feed event (API.md "Event feed"), in camelCase JSON.</summary>
public sealed record FeedEventData(
    string Type,
    string EntityId,
    string? Country,
    string? City,
    string? Period,
    string Status,
    DateTimeOffset OccurredAt,
    long Version)
{
    public static FeedEventData From(DomainEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        return new(evt.Type.ToString(), evt.EntityId, evt.Country, evt.City, evt.Period, evt.Status, evt.OccurredAt, evt.Version);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FeedEventData))]
internal sealed partial class FeedJsonContext : JsonSerializerContext;

/// <summary>
/// Writes the <c>text/event-stream</c> format (WHATWG HTML "Server-sent events") by hand: comments, <c>retry:</c>
/// hints and events with <c>id</c> (the log position), <c>event</c> (the type) and one line of JSON <c>data</c>.
/// Nothing written here contains a line break except the field terminators, so no field needs splitting.
/// </summary>
internal sealed class SseWriter(PipeWriter output)
{
    private static readonly byte[] IdField = "id: "u8.ToArray();
    private static readonly byte[] EventField = "\nevent: "u8.ToArray();
    private static readonly byte[] DataField = "\ndata: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    private static readonly byte[] HeartbeatComment = ": heartbeat\n\n"u8.ToArray();

    public void Comment(string text) => Write(Encoding.UTF8.GetBytes($": {text}\n\n"));

    /// <summary>The idle comment; its bytes are made once, as every idle client sends one per interval.</summary>
    public void Heartbeat() => Write(HeartbeatComment);

    public void Retry(TimeSpan delay) =>
        Write(Encoding.UTF8.GetBytes($"retry: {((long)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}\n\n"));

    public void Event(FeedEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        WriteEvent(output, evt);
    }

    /// <summary>Writes an event the hub encoded once for all its clients (<see cref="FeedFrame"/>).</summary>
    public void Frame(FeedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Write(frame.Bytes.Span);
    }

    /// <summary>The whole SSE event as UTF-8, to be shared by every client it goes to.</summary>
    public static byte[] Encode(FeedEvent evt)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteEvent(buffer, evt);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEvent(IBufferWriter<byte> target, FeedEvent evt)
    {
        target.Write(IdField);
        WriteNumber(target, evt.Position);
        target.Write(EventField);
        target.Write(Encoding.UTF8.GetBytes(evt.Event.Type.ToString()));
        target.Write(DataField);
        using (var json = new Utf8JsonWriter(target))
        {
            JsonSerializer.Serialize(json, FeedEventData.From(evt.Event), FeedJsonContext.Default.FeedEventData);
        }

        target.Write(EventEnd);
    }

    private static void WriteNumber(IBufferWriter<byte> target, long value)
    {
        var span = target.GetSpan(20);
        value.TryFormat(span, out var written, provider: CultureInfo.InvariantCulture);
        target.Advance(written);
    }

    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);

    private void Write(ReadOnlySpan<byte> bytes) => output.Write(bytes);
}
