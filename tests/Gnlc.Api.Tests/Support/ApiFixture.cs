using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gnlc.Api.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gnlc.Api.Tests.Support;

/// <summary>
/// One embedded Api (and its silo) for a test class or collection, with helpers to call it over real
/// HTTP as any <see cref="Caller"/>. Tokens come from the Development token route, except the broken
/// ones, which are minted here.
/// </summary>
public class ApiFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<Caller, string> _tokens = new();
    private EmbeddedApiFactory? _factory;
    private HttpClient? _http;

    public EmbeddedApiFactory Factory => _factory ?? throw new InvalidOperationException("The fixture has not started.");

    public HttpClient Http => _http ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>Configuration over the factory's defaults, set by a derived fixture before it starts (e.g. demo data on).</summary>
    protected IReadOnlyDictionary<string, string>? Settings { get; set; }

    public virtual async ValueTask InitializeAsync()
    {
        _factory = new EmbeddedApiFactory(settings: Settings);
        _factory.StartServer();
        _http = _factory.CreateClient();
        _http.Timeout = TimeSpan.FromMinutes(2);
        // StartServer returns once the co-hosted silo has started; the readiness check's first call to the cluster may
        // still time out on a busy machine (HealthTests asserts readiness itself), so the fixture asks again.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var ready = await _http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (ready.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > until)
            {
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A fresh, lowercase, letters-only suffix for names and ids that no other test uses.</summary>
    public static string Unique() =>
        string.Create(10, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + Random.Shared.Next(26));
            }
        });

    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, Caller caller, object? body = null, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            var json = body as string ?? JsonSerializer.Serialize(body, JsonOptions);
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        await AuthorizeAsync(request, caller);
        return await Http.SendAsync(request, cancellationToken);
    }

    public async Task<HttpResponseMessage> SendRawAsync(
        HttpMethod method, string path, Caller caller, byte[]? body, string? contentType, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        await AuthorizeAsync(request, caller);
        return await Http.SendAsync(request, cancellationToken);
    }

    /// <summary>Sends, asserts the status, and returns the JSON body (or default when there is none).</summary>
    public async Task<JsonElement> ExpectAsync(
        HttpStatusCode expected, HttpMethod method, string path, Caller caller, object? body = null, string? ifMatch = null)
    {
        using var response = await SendAsync(method, path, caller, body, ifMatch, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(expected == response.StatusCode, $"{method} {path} as {caller}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> GetAsync(string path, Caller? caller = null) =>
        ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, path, caller ?? Caller.Anonymous);

    /// <summary>The ETag of a resource as <paramref name="caller"/> reads it.</summary>
    public async Task<string> ETagAsync(string path, Caller? caller = null)
    {
        using var response = await SendAsync(HttpMethod.Get, path, caller ?? Caller.Anonymous, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException($"GET {path} has no ETag.");
    }

    public async Task<DateTimeOffset> ClockNowAsync() => (await GetAsync("/api/v1/dev/clock")).GetProperty("now").GetDateTimeOffset();

    public async Task<JsonElement> AdvanceClockAsync(string by) =>
        await ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/v1/dev/clock", Caller.Anonymous, new { advanceBy = by });

    /// <summary>Registers a city (coordinator) and returns its id.</summary>
    public async Task<string> RegisterCityAsync(string name, string countryCode, long population = 250_000)
    {
        var city = await ExpectAsync(
            HttpStatusCode.Created, HttpMethod.Post, "/api/v1/cities", Caller.Coordinator,
            new { name, countryCode, population, mayor = "Mayor of " + name });
        return city.GetProperty("id").GetString()!;
    }

    /// <summary>A complete application form (every text present).</summary>
    public static JsonObject CompleteForm(long population = 250_000) => new()
    {
        ["population"] = population,
        ["focalPoint"] = new JsonObject { ["name"] = "Focal Point", ["email"] = "focal@example.org" },
        ["motivation"] = "Learning for all, throughout life.",
        ["buildingBlocks"] = new JsonObject
        {
            ["inclusiveLearningInEducation"] = "From basic to higher education.",
            ["learningInFamiliesAndCommunities"] = "Community learning centres.",
            ["learningForAndInTheWorkplace"] = "Apprenticeships.",
            ["modernLearningTechnologies"] = "Open digital libraries.",
            ["qualityInLearning"] = "Teacher training.",
            ["cultureOfLearningThroughoutLife"] = "A yearly learning festival.",
        },
        ["fundamentalConditions"] = new JsonObject
        {
            ["politicalWillAndCommitment"] = "A council resolution.",
            ["governanceAndParticipation"] = "A learning city board.",
            ["mobilizationOfResources"] = "A dedicated budget line.",
        },
    };

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);

    private async Task AuthorizeAsync(HttpRequestMessage request, Caller caller)
    {
        if (caller.Role is null)
        {
            return;
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(caller));
    }

    private async Task<string> TokenAsync(Caller caller)
    {
        if (_tokens.TryGetValue(caller, out var cached))
        {
            return cached;
        }

        string token;
        if (ReferenceEquals(caller, Caller.InvalidToken) || ReferenceEquals(caller, Caller.NoActor))
        {
            token = MintToken(caller);
        }
        else
        {
            using var response = await Http.PostAsJsonAsync(
                new Uri("/api/v1/dev/tokens", UriKind.Relative),
                new { role = caller.Role, country = caller.Country, city = caller.City, cityRole = caller.CityRole, name = caller.Person },
                TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            token = body.GetProperty("token").GetString()!;
        }

        return _tokens.GetOrAdd(caller, token);
    }

    /// <summary>A token the dev route would not issue: one of an unknown role, or one signed with a foreign key.</summary>
    private string MintToken(Caller caller)
    {
        var settings = Factory.Services.GetRequiredService<AuthSettings>();
        var key = ReferenceEquals(caller, Caller.InvalidToken)
            ? AuthenticationSetup.SigningKey("a key this API has never been configured with, 32+ bytes")
            : AuthenticationSetup.SigningKey(settings.SigningKey!);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity([new Claim(GnlcClaims.Role, caller.Role!), new Claim("sub", caller.Name)]),
            NotBefore = now,
            IssuedAt = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
