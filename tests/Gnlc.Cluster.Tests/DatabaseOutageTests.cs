using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gnlc.Cluster.Tests.Infrastructure;
using Gnlc.Testing;

namespace Gnlc.Cluster.Tests;

// Stopping the shared PostgreSQL server would break every other test: this collection runs alone.
[CollectionDefinition(nameof(DatabaseOutage), DisableParallelization = true)]
public sealed class DatabaseOutage;

/// <summary>PostgreSQL goes away under a running cluster: requests fail fast with 503, and the cluster recovers alone.</summary>
[Collection(nameof(DatabaseOutage))]
public sealed class DatabaseOutageTests(PostgresServer server, ITestOutputHelper output)
{
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task While_PostgreSQL_is_down_writes_answer_503_and_afterwards_the_cluster_recovers_with_nothing_lost()
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = ClusterIdentity.New(await server.CreateDatabaseAsync("outage"));
        await using var silo = await PostgresSilo.StartAsync(cluster, ct);
        await using var api = new ClusterApiFactory(cluster);
        api.StartServer();
        using var http = api.CreateClient();
        http.Timeout = TimeSpan.FromMinutes(2);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await DevelopmentTokens.CoordinatorAsync(http, ct));

        using (var before = await RegisterAsync(http, "Galway", ct))
        {
            Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        }

        await server.StopAsync();
        try
        {
            var elapsed = Stopwatch.StartNew();
            using var during = await RegisterAsync(http, "Cork", ct);
            output.WriteLine($"write during the outage answered {(int)during.StatusCode} after {elapsed.ElapsedMilliseconds} ms");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
            Assert.NotNull(during.Headers.RetryAfter);
            using var problem = JsonDocument.Parse(await during.Content.ReadAsStringAsync(ct));
            Assert.Equal("service-unavailable", problem.RootElement.GetProperty("code").GetString());

            using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }
        finally
        {
            await server.StartAsync();
        }

        // No operator action: the same request succeeds once PostgreSQL is back.
        var recovery = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var retry = await RegisterAsync(http, "Cork", ct);
            status = retry.StatusCode;
            if (status != HttpStatusCode.Created)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
                Assert.True(recovery.Elapsed < RecoveryLimit, $"still {status} {recovery.Elapsed} after PostgreSQL came back");
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }
        }
        while (status != HttpStatusCode.Created);
        output.WriteLine($"recovered {recovery.ElapsedMilliseconds} ms after PostgreSQL came back");

        using var galway = await http.GetAsync(new Uri("/api/v1/cities/ie-galway", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, galway.StatusCode);
        using var readyAgain = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, readyAgain.StatusCode);
    }

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient http, string name, CancellationToken ct) =>
        http.PostAsJsonAsync("/api/v1/cities", new { name, countryCode = "IE", population = 80_000, mayor = "Mayor of " + name }, ct);

}
