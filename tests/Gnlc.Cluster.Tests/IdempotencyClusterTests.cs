using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gnlc.Cluster.Tests.Infrastructure;
using Gnlc.Testing;

namespace Gnlc.Cluster.Tests;

/// <summary>Two Api processes, clients of one PostgreSQL cluster, share idempotency keys.</summary>
public sealed class IdempotencyClusterTests(PostgresServer server)
{
    [Fact]
    public async Task A_retry_sent_to_another_Api_host_replays_the_original_response_and_the_key_is_shared()
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = ClusterIdentity.New(await server.CreateDatabaseAsync("idem"));
        await using var silo = await PostgresSilo.StartAsync(cluster, ct);
        await using var apiA = new ClusterApiFactory(cluster);
        await using var apiB = new ClusterApiFactory(cluster);
        apiA.StartServer();
        apiB.StartServer();
        using var a = apiA.CreateClient();
        using var b = apiB.CreateClient();
        var token = await DevelopmentTokens.CoordinatorAsync(a, ct);
        var key = Guid.NewGuid().ToString();

        var (firstStatus, firstBody, firstLocation, firstReplayed) = await PostAsync(a, token, key, "Sharedford", ct);
        Assert.Equal(HttpStatusCode.Created, firstStatus);
        Assert.Null(firstReplayed);

        var (retryStatus, retryBody, retryLocation, retryReplayed) = await PostAsync(b, token, key, "Sharedford", ct);
        Assert.Equal(HttpStatusCode.Created, retryStatus);
        Assert.Equal("true", retryReplayed);
        Assert.Equal(firstBody, retryBody);
        Assert.Equal(firstLocation, retryLocation);

        var (reusedStatus, reusedBody, _, _) = await PostAsync(b, token, key, "Othersford", ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reusedStatus);
        Assert.Equal("idempotency-key-reused", JsonDocument.Parse(reusedBody).RootElement.GetProperty("code").GetString());
        using var other = await b.GetAsync(new Uri("/api/v1/cities/ie-othersford", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, string Body, string? Location, string? Replayed)> PostAsync(
        HttpClient http, string token, string key, string name, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/cities", UriKind.Relative))
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new { name, countryCode = "IE", population = 5000, mayor = "M" }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var response = await http.SendAsync(request, ct);
        var replayed = response.Headers.TryGetValues("Idempotency-Replayed", out var values) ? values.Single() : null;
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct), response.Headers.Location?.ToString(), replayed);
    }

}
