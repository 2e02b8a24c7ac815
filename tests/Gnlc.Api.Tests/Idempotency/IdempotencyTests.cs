using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gnlc.Api.Tests.Support;

namespace Gnlc.Api.Tests.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> over real HTTP: a retry gets the original response and acts once; the key with
/// another body is 422; concurrent duplicates act once; keys are per caller, expire after 24 hours of the
/// cluster's clock, and survive a restart.
/// </summary>
public sealed class IdempotencyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_retried_POST_returns_the_original_201_with_the_same_Location_and_creates_one_city()
    {
        var key = Guid.NewGuid().ToString();
        var name = "Retryville " + ApiFixture.Unique();
        var token = await TokenAsync(api.Http, new { role = "coordinator" });

        var (first, firstBody, firstHeaders) = await PostAsync(api.Http, "/api/v1/cities", token, key, Register(name));
        Assert.Equal(HttpStatusCode.Created, first);
        Assert.Null(firstHeaders.Replayed);
        var cityId = JsonDocument.Parse(firstBody).RootElement.GetProperty("id").GetString()!;

        // The city changes between the two: a re-run would answer the new state, a replay the original.
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/cities/{cityId}", Caller.Mayor(cityId), new { population = 4242 });

        for (var retry = 0; retry < 3; retry++)
        {
            var (status, body, headers) = await PostAsync(api.Http, "/api/v1/cities", token, key, Register(name));
            Assert.Equal(HttpStatusCode.Created, status);
            Assert.Equal(firstHeaders.Location, headers.Location);
            Assert.Equal(firstBody, body);
            Assert.Equal("true", headers.Replayed);
        }

        var directory = await api.GetAsync("/api/v1/cities?country=IE&q=" + Uri.EscapeDataString(name));
        Assert.Equal(1, directory.GetProperty("total").GetInt32());
        Assert.Equal(4242, (await api.GetAsync($"/api/v1/cities/{cityId}")).GetProperty("population").GetInt64());
    }

    [Fact]
    public async Task The_same_key_with_another_body_or_path_is_422_idempotency_key_reused_and_changes_nothing()
    {
        var key = Guid.NewGuid().ToString();
        var token = await TokenAsync(api.Http, new { role = "coordinator" });
        var name = "Keyholm " + ApiFixture.Unique();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(api.Http, "/api/v1/cities", token, key, Register(name))).Status);

        var other = "Otherholm " + ApiFixture.Unique();
        var (status, body, _) = await PostAsync(api.Http, "/api/v1/cities", token, key, Register(other));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("idempotency-key-reused", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        var directory = await api.GetAsync("/api/v1/cities?country=IE&q=" + Uri.EscapeDataString(other));
        Assert.Equal(0, directory.GetProperty("total").GetInt32());

        var (awardStatus, awardBody, _) = await PostAsync(api.Http, "/api/v1/awards", token, key, "{\"cityId\":\"ie-nowhere\",\"year\":2026,\"citation\":\"C.\"}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, awardStatus);
        Assert.Equal("idempotency-key-reused", JsonDocument.Parse(awardBody).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Keys_are_scoped_per_caller()
    {
        var key = "shared-key-" + ApiFixture.Unique();
        var coordinator = await TokenAsync(api.Http, new { role = "coordinator" });
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(api.Http, "/api/v1/cities", coordinator, key, Register("Scopeton " + ApiFixture.Unique()))).Status);

        // Another caller with the same key: its own request runs (a validation refusal here, not a 422 or a replay).
        var commission = await TokenAsync(api.Http, new { role = "commission", country = "IE" });
        var (status, body, headers) = await PostAsync(api.Http, "/api/v1/cities", commission, key, Register("Scopeton " + ApiFixture.Unique()));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Null(headers.Replayed);
        Assert.NotEqual("idempotency-key-reused", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());

        // A refusal is not remembered: the key stays free for that caller.
        var (again, _, againHeaders) = await PostAsync(api.Http, "/api/v1/cities", commission, key, Register("Scopeton " + ApiFixture.Unique()));
        Assert.Equal(HttpStatusCode.Forbidden, again);
        Assert.Null(againHeaders.Replayed);
    }

    [Fact]
    public async Task Concurrent_duplicates_act_once_each_answered_with_the_original_or_409_in_progress()
    {
        var key = Guid.NewGuid().ToString();
        var name = "Racetown " + ApiFixture.Unique();
        var token = await TokenAsync(api.Http, new { role = "coordinator" });
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => PostAsync(api.Http, "/api/v1/cities", token, key, Register(name))));

        var executed = results.Where(r => r.Status == HttpStatusCode.Created && r.Headers.Replayed is null).ToList();
        Assert.Single(executed);
        foreach (var (status, body, headers) in results)
        {
            if (status == HttpStatusCode.Created)
            {
                Assert.Equal(executed[0].Body, body);
                Assert.Equal(executed[0].Headers.Location, headers.Location);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, status);
                Assert.Equal("idempotency-request-in-progress", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
            }
        }

        var directory = await api.GetAsync("/api/v1/cities?country=IE&q=" + Uri.EscapeDataString(name));
        Assert.Equal(1, directory.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_invalid_key_is_a_400()
    {
        var token = await TokenAsync(api.Http, new { role = "coordinator" });
        foreach (var key in new[] { new string('k', 256), "with space", "tab\tkey" })
        {
            var (status, body, _) = await PostAsync(api.Http, "/api/v1/cities", token, key, Register("Badkey " + ApiFixture.Unique()));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("invalid-request", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task After_24_hours_of_the_clusters_clock_the_key_is_free_again()
    {
        // Its own Api: moving the clock must not move the other tests' world.
        await using var factory = new EmbeddedApiFactory();
        factory.StartServer();
        using var http = factory.CreateClient();
        var token = await TokenAsync(http, new { role = "coordinator" });
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(http, "/api/v1/cities", token, key, Register("Firstburg"))).Status);

        await Advance(http, "PT23H");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(http, "/api/v1/cities", token, key, Register("Secondburg"))).Status);

        await Advance(http, "PT2H");
        var (status, _, headers) = await PostAsync(http, "/api/v1/cities", token, key, Register("Secondburg"));
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Null(headers.Replayed);
    }

    [Fact]
    public async Task A_key_survives_a_restart_of_the_Api()
    {
        var data = Directory.CreateTempSubdirectory("gnlc-idem-").FullName;
        try
        {
            var key = Guid.NewGuid().ToString();
            (HttpStatusCode Status, string Body, ResponseHeaders Headers) first;
            await using (var before = new EmbeddedApiFactory(data))
            {
                before.StartServer();
                using var http = before.CreateClient();
                first = await PostAsync(http, "/api/v1/cities", await TokenAsync(http, new { role = "coordinator" }), key, Register("Restartford"));
                Assert.Equal(HttpStatusCode.Created, first.Status);
            }

            await using var after = new EmbeddedApiFactory(data);
            after.StartServer();
            using var again = after.CreateClient();
            var retried = await PostAsync(again, "/api/v1/cities", await TokenAsync(again, new { role = "coordinator" }), key, Register("Restartford"));
            Assert.Equal(HttpStatusCode.Created, retried.Status);
            Assert.Equal("true", retried.Headers.Replayed);
            Assert.Equal(first.Body, retried.Body);
            Assert.Equal(first.Headers.Location, retried.Headers.Location);
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS's temp cleanup.
            }
        }
    }

    internal sealed record ResponseHeaders(string? Location, string? Replayed);

    private static string Register(string name) =>
        JsonSerializer.Serialize(new { name, countryCode = "IE", population = 12_000, mayor = "Mayor of " + name });

    private static async Task Advance(HttpClient http, string by)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/dev/clock", new { advanceBy = by }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal static async Task<string> TokenAsync(HttpClient http, object claims)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/dev/tokens", claims, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("token").GetString()!;
    }

    internal static async Task<(HttpStatusCode Status, string Body, ResponseHeaders Headers)> PostAsync(
        HttpClient http, string path, string token, string key, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var replayed = response.Headers.TryGetValues("Idempotency-Replayed", out var values) ? values.Single() : null;
        return (response.StatusCode, body, new ResponseHeaders(response.Headers.Location?.ToString(), replayed));
    }
}
