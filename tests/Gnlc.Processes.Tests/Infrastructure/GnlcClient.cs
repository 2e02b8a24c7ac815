using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Gnlc.Processes.Tests.Infrastructure;

/// <summary>One HTTP answer: status (0 when there was none), body, problem code and Retry-After.</summary>
internal sealed record Answer(int Status, JsonElement Body, string? Code, TimeSpan? RetryAfter, string Text)
{
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>Answers a client is told to try again later.</summary>
    public bool Retryable => Status is 503 or 429 or 0;

    public string String(string property) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidOperationException($"No string '{property}' in {Text}");

    public long Long(string property) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetInt64()
            : throw new InvalidOperationException($"No number '{property}' in {Text}");
}

/// <summary>
/// A front-end client of the Api processes: real HTTP over loopback sockets, spread round robin over the Api
/// processes, retrying what the Api says is retryable (503, 429) after its Retry-After. Every attempt is counted.
/// </summary>
internal sealed class GnlcClient : IDisposable
{
    private static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(120);

    private readonly HttpClient _http;
    private readonly Uri[] _apis;
    private int _next;

    public GnlcClient(IEnumerable<Uri> apis, Figures figures)
    {
        _apis = [.. apis];
        Figures = figures;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 128,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            // Longer than any wait the Api can impose (its grain calls time out after ProcessCluster.ResponseTimeout).
            Timeout = TimeSpan.FromSeconds(100),
        };
    }

    public Figures Figures { get; }

    /// <summary>Sends once, to the next Api process in turn.</summary>
    public async Task<Answer> SendOnceAsync(HttpMethod method, string path, string? token, object? body, CancellationToken cancellationToken)
    {
        var api = _apis[(int)((uint)Interlocked.Increment(ref _next) % _apis.Length)];
        using var request = new HttpRequestMessage(method, new Uri(api, "api/v1/" + path.TrimStart('/')));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        Figures.Sent();
        Answer answer;
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var json = default(JsonElement);
            string? code = null;
            if (text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false))
            {
                json = JsonDocument.Parse(text).RootElement.Clone();
                if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String)
                {
                    code = c.GetString();
                }
            }

            var retryAfter = response.Headers.RetryAfter?.Delta;
            answer = new Answer((int)response.StatusCode, json, code, retryAfter, text.Length > 400 ? text[..400] : text);
        }
        catch (HttpRequestException error)
        {
            answer = new Answer(0, default, null, null, error.Message);
        }
        catch (TaskCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            answer = new Answer(0, default, null, null, "client timeout: " + error.Message);
        }

        Figures.Record($"{method} {path}", answer);
        return answer;
    }

    /// <summary>Sends until the answer is final: 503 and 429 are retried after their Retry-After, within a budget.</summary>
    public async Task<Answer> SendAsync(HttpMethod method, string path, string? token, object? body, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            var answer = await SendOnceAsync(method, path, token, body, cancellationToken);
            if (!answer.Retryable || DateTime.UtcNow - started > RetryBudget)
            {
                return answer;
            }

            var wait = answer.RetryAfter ?? TimeSpan.FromSeconds(1);
            await Task.Delay(wait, cancellationToken);
        }
    }

    public Task<Answer> GetAsync(string path, string? token, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, token, null, cancellationToken);

    public Task<Answer> PostAsync(string path, string? token, object? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, token, body, cancellationToken);

    public Task<Answer> PutAsync(string path, string? token, object? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, token, body, cancellationToken);

    /// <summary>A development token (API.md "Authentication"); throws unless the Api issues it.</summary>
    public async Task<string> TokenAsync(string role, string? country, string? city, string? cityRole, CancellationToken cancellationToken)
    {
        var answer = await PostAsync("dev/tokens", null, new { role, country, city, cityRole }, cancellationToken);
        return answer.Succeeded
            ? answer.String("token")
            : throw new InvalidOperationException($"No {role} token: {answer.Status.ToString(CultureInfo.InvariantCulture)} {answer.Text}");
    }

    public void Dispose() => _http.Dispose();
}
