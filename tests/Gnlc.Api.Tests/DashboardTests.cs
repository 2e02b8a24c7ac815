using System.Globalization;
using System.Net;
using Gnlc.Silo.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Api.Tests;

/// <summary>The Orleans Dashboard has no authentication: it is served on its own loopback address only.</summary>
/// <remarks>
/// Alone: a minimal-hosting app under test receives its settings through a process-wide hook while it builds, and in
/// one full run the dashboard's setting did not reach this host while other hosts were being built in parallel.
/// </remarks>
[Collection(Events.RunsAloneDefinition.Name)]
public sealed class DashboardTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dashboard_is_served_on_its_configured_loopback_port_and_not_on_the_public_port()
    {
        var dashboard = new Uri("http://127.0.0.1:" + EmbeddedApiFactory.FreeTcpPort().ToString(CultureInfo.InvariantCulture));
        await using var factory = new EmbeddedApiFactory(settings: new Dictionary<string, string> { [GnlcDashboard.UrlKey] = dashboard.ToString() });
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(a => new Uri(a))
            .ToList();
        var publicAddress = Assert.Single(addresses, a => a.Port != dashboard.Port);
        Assert.Single(addresses, a => a.Port == dashboard.Port && a.Host == "127.0.0.1");
        using var publicHttp = new HttpClient { BaseAddress = publicAddress };
        using var dashboardHttp = new HttpClient { BaseAddress = dashboard };

        using var page = await dashboardHttp.GetAsync(new Uri("/", UriKind.Relative), Cancellation);
        using var script = await dashboardHttp.GetAsync(new Uri("/index.min.js", UriKind.Relative), Cancellation);
        using var version = await dashboardHttp.GetAsync(new Uri("/version", UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);

        foreach (var route in new[] { "/", "/index.html", "/index.min.js", "/version", "/ClusterStats" })
        {
            using var response = await publicHttp.GetAsync(new Uri(route, UriKind.Relative), Cancellation);
            Assert.True(HttpStatusCode.NotFound == response.StatusCode, $"{route} answered {response.StatusCode} on the public port");
        }

        // The public port still serves the API; the dashboard's port serves nothing else.
        using var live = await publicHttp.GetAsync(new Uri("/health/live", UriKind.Relative), Cancellation);
        using var liveOnDashboard = await dashboardHttp.GetAsync(new Uri("/health/live", UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, liveOnDashboard.StatusCode);
    }

    [Fact]
    public async Task Dashboard_is_off_by_default()
    {
        await using var factory = new EmbeddedApiFactory();
        factory.StartServer();
        using var http = factory.CreateClient();

        using var response = await http.GetAsync(new Uri("/index.min.js", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
