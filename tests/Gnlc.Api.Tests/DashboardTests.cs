using System.Net;

namespace Gnlc.Api.Tests;

/// <summary>The Orleans Dashboard has no authentication: it is off unless an operator gives it its own address.</summary>
public sealed class DashboardTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

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
