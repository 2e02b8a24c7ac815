using System.Net;

namespace Gnlc.Api.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Embedded_default_answers_liveness_over_a_real_socket()
    {
        await using var factory = new EmbeddedApiFactory();
        factory.StartServer();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Embedded_default_is_ready_once_its_silo_is_active_over_a_real_socket()
    {
        await using var factory = new EmbeddedApiFactory();
        factory.StartServer();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
