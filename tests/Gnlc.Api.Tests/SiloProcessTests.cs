using System.Globalization;
using System.Net;
using Gnlc.Silo.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gnlc.Api.Tests;

/// <summary>
/// The Silo process itself (its <c>Main</c>, located through any type of its assembly) on real Kestrel, in the embedded
/// store so that no database is needed: its operational endpoints answer.
/// </summary>
public sealed class SiloProcessTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Silo_process_answers_liveness_readiness_and_metrics_over_a_real_socket()
    {
        await using var silo = new SiloProcessFactory();
        silo.StartServer();
        using var http = silo.CreateClient();

        using var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative), Cancellation);
        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);
        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative), Cancellation);
        // The Silo process, not the Api: it serves no HTTP API.
        using var api = await http.GetAsync(new Uri("/api/v1/cities", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Contains("orleans_", await metrics.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    /// <summary>The Silo process (<see cref="GnlcStoreOptions"/> only names its assembly) with a fresh data folder.</summary>
    private sealed class SiloProcessFactory : WebApplicationFactory<GnlcStoreOptions>
    {
        private readonly string _dataDirectory = Directory.CreateTempSubdirectory("gnlc-silo-process-").FullName;

        public SiloProcessFactory() => UseKestrel(0);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseContentRoot(_dataDirectory);
            builder.UseSetting(GnlcStoreOptions.EmbeddedDataDirectoryKey, _dataDirectory);
            builder.UseSetting("Orleans:Endpoints:SiloPort", EmbeddedApiFactory.FreeTcpPort().ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Orleans:Endpoints:GatewayPort", EmbeddedApiFactory.FreeTcpPort().ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Gnlc:Demo:Enabled", "false");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is left for the OS's temp cleanup.
            }
        }
    }
}
