using System.Net;
using Gnlc.Api.Hosting;
using Gnlc.Api.Http;
using Gnlc.Api.Tests.Support;
using Gnlc.Cities;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Api.Tests;

/// <summary>
/// The embedded city GET reads the co-hosted silo's committed views (no grain call); over real HTTP it still answers
/// every acknowledged change at once, and right after the grain is deactivated. A cluster client keeps calling the grain.
/// </summary>
public sealed class CoHostedCityReadsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private ICoHostedCityViews Views => api.Factory.Services.GetRequiredService<ICoHostedCityViews>();

    [Fact]
    public async Task A_get_right_after_each_acknowledged_change_returns_its_version()
    {
        var city = await api.RegisterCityAsync("Kells " + ApiFixture.Unique(), "IE");
        Assert.True(api.Factory.Services.GetRequiredService<CityReads>().CoHosted);
        Assert.Equal("\"v1\"", await api.ETagAsync($"/api/v1/cities/{city}"));

        for (var population = 30_001; population <= 30_005; population++)
        {
            using var changed = await api.SendAsync(HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Mayor(city),
                new { population }, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            var acknowledged = changed.Headers.ETag?.ToString();

            // The view the GET reads is the published one, and it is already the acknowledged change's.
            Assert.True(Views.TryGet(city, out var published));
            Assert.Equal(acknowledged, ETags.For(published.Version));
            using var read = await api.SendAsync(HttpMethod.Get, $"/api/v1/cities/{city}", Caller.Anonymous,
                cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(acknowledged, read.Headers.ETag?.ToString());
            var body = await api.GetAsync($"/api/v1/cities/{city}");
            Assert.Equal(population, body.GetProperty("population").GetInt64());
        }
    }

    [Fact]
    public async Task After_the_grain_is_deactivated_the_get_answers_the_stored_change()
    {
        var city = await api.RegisterCityAsync("Trim " + ApiFixture.Unique(), "IE");
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/cities/{city}", Caller.Mayor(city), new { mayor = "Mayor Two" });
        Assert.Equal("\"v2\"", await api.ETagAsync($"/api/v1/cities/{city}"));

        var cluster = api.Factory.Services.GetRequiredService<IClusterClient>();
        await cluster.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        Assert.False(Views.TryGet(city, out _));

        // A miss asks the grain, which activates, loads the stored state and publishes it again.
        Assert.Equal("\"v2\"", await api.ETagAsync($"/api/v1/cities/{city}"));
        Assert.Equal("Mayor Two", (await api.GetAsync($"/api/v1/cities/{city}")).GetProperty("mayor").GetString());
        Assert.True(Views.TryGet(city, out var published));
        Assert.Equal(2, published.Version);
    }

    [Fact]
    public async Task An_unknown_city_is_still_not_found()
    {
        var refused = await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/cities/ie-nowhere-{ApiFixture.Unique()}", Caller.Anonymous);
        Assert.Equal("city-not-found", refused.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Without_the_registry_the_read_calls_the_grain()
    {
        var city = await api.RegisterCityAsync("Navan " + ApiFixture.Unique(), "IE");
        var cluster = api.Factory.Services.GetRequiredService<IClusterClient>();
        using var noRegistry = new ServiceCollection().BuildServiceProvider();
        var reads = new CityReads(new CityReferences(cluster), noRegistry);
        Assert.False(reads.CoHosted);

        var view = await reads.GetAsync(city);
        Assert.Equal(city, view.Id);
        Assert.Equal(1, view.Version);
    }

    [Fact]
    public void A_cluster_client_Api_has_no_registry()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["ConnectionStrings:Gnlc"] = "Host=127.0.0.1;Database=unused";
        builder.AddGnlcCluster();
        using var services = builder.Services.BuildServiceProvider();
        Assert.Null(services.GetService<ICoHostedCityViews>());
        Assert.NotNull(builder.Services.FirstOrDefault(s => s.ServiceType == typeof(IClusterClient)));
    }
}
