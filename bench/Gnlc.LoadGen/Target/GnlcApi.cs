using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Gnlc.LoadGen.Target;

/// <summary>The route a workload needs is not mapped (yet): the workload is skipped, the run goes on.</summary>
internal sealed class RouteUnavailableException : Exception
{
    public RouteUnavailableException(string route)
        : base("route not available: " + route) => Route = route;

    public RouteUnavailableException()
        : this("?")
    {
    }

    public RouteUnavailableException(string message, Exception innerException)
        : base(message, innerException) => Route = "?";

    public string Route { get; }
}

/// <summary>A response, read whole (as a client would).</summary>
internal readonly record struct ApiResponse(HttpStatusCode Status, byte[] Body, HttpResponseHeaders? Headers)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The problem's stable <c>code</c> (API.md "Errors"), when the body is a problem document.</summary>
    public string? ProblemCode
    {
        get
        {
            if (Body.Length == 0 || Body[0] != (byte)'{')
            {
                return null;
            }

            try
            {
                using var doc = JsonDocument.Parse(Body);
                return doc.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary><c>null</c> on success, else a short key for the error table (status and problem code).</summary>
    public string? ErrorKey => IsSuccess ? null : $"{(int)Status} {ProblemCode ?? "-"}";

    public JsonElement Json()
    {
        using var doc = JsonDocument.Parse(Body);
        return doc.RootElement.Clone();
    }
}

/// <summary>
/// HTTP access to the system under test (API.md). One pooled <see cref="HttpClient"/> with enough connections for
/// the workload's concurrency; every body is read whole. A 404 or 405 that is not a domain refusal (its problem
/// code is the generic <c>not-found</c>/<c>method-not-allowed</c>) means the route is not mapped.
/// </summary>
internal sealed class GnlcApi : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;

    public GnlcApi(Uri baseAddress, int maxConnections)
    {
        BaseAddress = baseAddress;
        _http = CreateClient(baseAddress, maxConnections, TimeSpan.FromSeconds(60));
    }

    public Uri BaseAddress { get; }

    public static HttpClient CreateClient(Uri baseAddress, int maxConnections, TimeSpan timeout)
    {
#pragma warning disable CA2000 // the client owns the handler (disposeHandler: true)
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
#pragma warning restore CA2000
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = timeout };
    }

    /// <summary>Sends a request. <paramref name="route"/> names the route template in a skip message.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string route, byte[]? json, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var result = new ApiResponse(response.StatusCode, body, response.Headers);
        if (IsUnmapped(result))
        {
            throw new RouteUnavailableException(route);
        }

        return result;
    }

    public Task<ApiResponse> GetAsync(string path, string route, CancellationToken cancellationToken, string? token = null) =>
        SendAsync(HttpMethod.Get, path, route, null, token, cancellationToken);

    public static byte[] Body(object value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    /// <summary>A development token (API.md "Authentication"): <c>POST /api/v1/dev/tokens</c>.</summary>
    public async Task<string> TokenAsync(string role, string? country, string? city, string? cityRole, CancellationToken cancellationToken)
    {
        var response = await SendAsync(
            HttpMethod.Post, "/api/v1/dev/tokens", "POST /api/v1/dev/tokens",
            Body(new { role, country, city, cityRole }), null, cancellationToken);
        if (!response.IsSuccess)
        {
            throw new InvalidOperationException($"POST /api/v1/dev/tokens answered {response.ErrorKey}: {System.Text.Encoding.UTF8.GetString(response.Body)}");
        }

        return response.Json().GetProperty("token").GetString()!;
    }

    /// <summary>Polls <c>/health/ready</c> (falling back to <c>/health/live</c>) until the system answers.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await _http.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = "/health/ready answered " + (int)response.StatusCode;
            }
            catch (HttpRequestException error)
            {
                last = error.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        throw new TimeoutException($"{BaseAddress} was not ready within {timeout.TotalSeconds:0} s: {last}");
    }

    public void Dispose() => _http.Dispose();

    private static bool IsUnmapped(ApiResponse response) => response.Status switch
    {
        HttpStatusCode.MethodNotAllowed => true,
        HttpStatusCode.NotFound => response.ProblemCode is null or "not-found",
        _ => false,
    };
}
