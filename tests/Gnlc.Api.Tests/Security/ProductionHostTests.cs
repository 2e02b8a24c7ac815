using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Gnlc.Api.Tests.Security;

/// <summary>
/// The Api built in the Production environment: it refuses the development signing key, has no
/// development routes, sets the security headers (HSTS included), and answers CORS only for the
/// configured origins.
/// </summary>
public sealed class ProductionHostTests
{
    private const string Allowed = "https://gnlc.example.org";

    [Fact]
    public async Task With_the_development_key_configured_the_host_refuses_to_start()
    {
        await using var factory = new ConfiguredApiFactory("Production", new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = "DEVELOPMENT-ONLY signing key for local tokens, not a secret, refused outside Development",
        });
        var refused = Assert.ThrowsAny<Exception>(factory.StartServer);
        Assert.Contains("development signing key", Flatten(refused), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Without_any_signing_key_or_authority_the_host_refuses_to_start()
    {
        await using var factory = new ConfiguredApiFactory("Production", new Dictionary<string, string?>());
        var refused = Assert.ThrowsAny<Exception>(factory.StartServer);
        Assert.Contains("Auth:Authority", Flatten(refused), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_proper_settings_there_are_no_development_routes_and_security_headers_are_set()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new ConfiguredApiFactory("Production", new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = ConfiguredApiFactory.ProductionKey,
            ["Cors:AllowedOrigins:0"] = Allowed,
        });
        factory.StartServer();
        using var http = factory.CreateClient();

        using var tokens = await http.PostAsJsonAsync("/api/v1/dev/tokens", new { role = "coordinator" }, ct);
        Assert.Equal(HttpStatusCode.NotFound, tokens.StatusCode);
        using var clock = await http.GetAsync(new Uri("/api/v1/dev/clock", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.NotFound, clock.StatusCode);
        using var docs = await http.GetAsync(new Uri("/docs", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.NotFound, docs.StatusCode);

        foreach (var path in new[] { "/api/v1/member-states", "/api/v1/cities/ie-nowhere", "/health/live", "/api/v1/dev/tokens" })
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), ct);
            AssertSecurityHeaders(response, hsts: true, path);
        }
    }

    [Fact]
    public async Task In_Development_the_security_headers_are_set_without_HSTS()
    {
        await using var factory = new EmbeddedApiFactory();
        factory.StartServer();
        using var http = factory.CreateClient();
        using var response = await http.GetAsync(new Uri("/api/v1/member-states", UriKind.Relative), TestContext.Current.CancellationToken);
        AssertSecurityHeaders(response, hsts: false, "/api/v1/member-states");
    }

    [Fact]
    public async Task CORS_answers_the_configured_origins_only()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new ConfiguredApiFactory("Production", new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = ConfiguredApiFactory.ProductionKey,
            ["Cors:AllowedOrigins:0"] = Allowed,
            ["Cors:AllowedOrigins:1"] = "https://other.example.org/",
        });
        factory.StartServer();
        using var http = factory.CreateClient();

        using (var allowed = await http.SendAsync(Preflight(Allowed), ct))
        {
            Assert.True(allowed.IsSuccessStatusCode, $"{(int)allowed.StatusCode}");
            Assert.Equal(Allowed, Header(allowed, "Access-Control-Allow-Origin"));
            Assert.Contains("POST", Header(allowed, "Access-Control-Allow-Methods") ?? string.Empty, StringComparison.Ordinal);
            Assert.Contains("AUTHORIZATION", (Header(allowed, "Access-Control-Allow-Headers") ?? string.Empty).ToUpperInvariant(), StringComparison.Ordinal);
        }

        using (var second = await http.SendAsync(Preflight("https://other.example.org"), ct))
        {
            Assert.Equal("https://other.example.org", Header(second, "Access-Control-Allow-Origin"));
        }

        foreach (var origin in new[] { "https://evil.example", "http://gnlc.example.org", "https://gnlc.example.org.evil.example", "null" })
        {
            using var refused = await http.SendAsync(Preflight(origin), ct);
            Assert.Null(Header(refused, "Access-Control-Allow-Origin"));
            Assert.Null(Header(refused, "Access-Control-Allow-Methods"));
        }

        using var simple = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/member-states", UriKind.Relative));
        simple.Headers.Add("Origin", Allowed);
        using var read = await http.SendAsync(simple, ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(Allowed, Header(read, "Access-Control-Allow-Origin"));

        using var foreign = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/member-states", UriKind.Relative));
        foreign.Headers.Add("Origin", "https://evil.example");
        using var foreignRead = await http.SendAsync(foreign, ct);
        Assert.Null(Header(foreignRead, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Without_configured_origins_there_are_no_CORS_headers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new ConfiguredApiFactory("Production", new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = ConfiguredApiFactory.ProductionKey,
        });
        factory.StartServer();
        using var http = factory.CreateClient();
        using var preflight = await http.SendAsync(Preflight(Allowed), ct);
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
        using var simple = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/member-states", UriKind.Relative));
        simple.Headers.Add("Origin", Allowed);
        using var read = await http.SendAsync(simple, ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Null(Header(read, "Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri("/api/v1/cities", UriKind.Relative));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;

    private static void AssertSecurityHeaders(HttpResponseMessage response, bool hsts, string path)
    {
        Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", path);
        Assert.True(Header(response, "Referrer-Policy") == "no-referrer", path);
        Assert.True(Header(response, "X-Frame-Options") == "DENY", path);
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy") ?? string.Empty, StringComparison.Ordinal);
        if (hsts)
        {
            Assert.True(Header(response, "Strict-Transport-Security")?.StartsWith("max-age=", StringComparison.Ordinal) == true, path);
        }
        else
        {
            Assert.Null(Header(response, "Strict-Transport-Security"));
        }
    }

    private static string Flatten(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        if (exception is AggregateException aggregate)
        {
            messages.AddRange(aggregate.Flatten().InnerExceptions.Select(e => e.Message));
        }

        return string.Join(" | ", messages) + JsonSerializer.Serialize(exception.ToString());
    }
}
