using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Gnlc.Api.Tests.Events;

/// <summary>One event as a feed client received it, with the moment it arrived (<see cref="Stopwatch"/> ticks).</summary>
public sealed record SseEvent(long Id, string Event, JsonElement Data, long ReceivedAt)
{
    public string EntityId => Data.GetProperty("entityId").GetString()!;

    public long Version => Data.GetProperty("version").GetInt64();

    public string Type => Data.GetProperty("type").GetString()!;

    public string Status => Data.GetProperty("status").GetString()!;

    public string? Country => Data.GetProperty("country").GetString();
}

/// <summary>
/// A feed client over real HTTP: reads <c>text/event-stream</c> in the background and keeps every event, comment and
/// <c>retry:</c> hint it receives, until the server ends the response or the client is disposed.
/// </summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _sync = new();
    private readonly List<SseEvent> _events = [];
    private readonly List<string> _comments = [];
    private readonly List<long> _retries = [];
    private Task _reading = Task.CompletedTask;

    private SseClient(HttpClient http) => _http = http;

    public HttpStatusCode StatusCode { get; private set; }

    public string? ContentType { get; private set; }

    /// <summary>Completes when the response ended: true when the server ended it cleanly, false on an error.</summary>
    public Task<bool> Ended => _ended.Task;

    private readonly TaskCompletionSource<bool> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<SseEvent> Events
    {
        get
        {
            lock (_sync)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<string> Comments
    {
        get
        {
            lock (_sync)
            {
                return [.. _comments];
            }
        }
    }

    public IReadOnlyList<long> Retries
    {
        get
        {
            lock (_sync)
            {
                return [.. _retries];
            }
        }
    }

    public long? LastId => Events is [.., var last] ? last.Id : null;

    /// <summary>Connects and waits for the response headers (the server sends a comment at once).</summary>
    public static async Task<SseClient> ConnectAsync(Uri baseAddress, string query = "", long? lastEventId = null, CancellationToken cancellationToken = default)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var client = new SseClient(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/events" + query, UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        client.StatusCode = response.StatusCode;
        client.ContentType = response.Content.Headers.ContentType?.MediaType;
        client._reading = client.ReadAsync(response);
        return client;
    }

    /// <summary>Waits (bounded) until the received events satisfy <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyList<SseEvent>> WaitForAsync(Func<IReadOnlyList<SseEvent>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var events = Events;
            if (condition(events))
            {
                return events;
            }

            if (_ended.Task.IsCompleted)
            {
                // Nothing arrives after the end: fail now rather than spin until the deadline.
                events = Events;
                return condition(events)
                    ? events
                    : throw new InvalidOperationException($"The feed ended ({(_ended.Task.Result ? "cleanly" : "on an error")}) with {events.Count} events (last id {LastId}); the awaited condition did not hold.");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"The feed client has {events.Count} events (last id {LastId}); the awaited condition did not hold in time.");
            }

            await Task.WhenAny(Task.Delay(20), _ended.Task);
        }
    }

    /// <summary>Waits until an event with an id of at least <paramref name="position"/> arrived.</summary>
    public Task<IReadOnlyList<SseEvent>> WaitForPositionAsync(long position, TimeSpan? timeout = null) =>
        WaitForAsync(events => events.Count > 0 && events[^1].Id >= position, timeout);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync(HttpResponseMessage response)
    {
        var clean = false;
        try
        {
            using (response)
            {
                await using var stream = await response.Content.ReadAsStreamAsync(_stop.Token);
                using var reader = new StreamReader(stream);
                string? id = null, type = null, data = null;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.Length == 0)
                    {
                        if (data is not null)
                        {
                            var received = Stopwatch.GetTimestamp();
                            using var json = JsonDocument.Parse(data);
                            var evt = new SseEvent(long.Parse(id!, CultureInfo.InvariantCulture), type!, json.RootElement.Clone(), received);
                            lock (_sync)
                            {
                                _events.Add(evt);
                            }
                        }

                        id = type = data = null;
                    }
                    else if (line.StartsWith(':'))
                    {
                        lock (_sync)
                        {
                            _comments.Add(line[1..].Trim());
                        }
                    }
                    else if (line.StartsWith("retry: ", StringComparison.Ordinal))
                    {
                        lock (_sync)
                        {
                            _retries.Add(long.Parse(line["retry: ".Length..], CultureInfo.InvariantCulture));
                        }
                    }
                    else if (line.StartsWith("id: ", StringComparison.Ordinal))
                    {
                        id = line["id: ".Length..];
                    }
                    else if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        type = line["event: ".Length..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        data = data is null ? line["data: ".Length..] : data + "\n" + line["data: ".Length..];
                    }
                }

                clean = true;
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or HttpRequestException)
        {
            clean = false;
        }
        finally
        {
            _ended.TrySetResult(clean);
        }
    }
}
