using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Gnlc.Processes.Tests.Infrastructure;
using Gnlc.Testing;

namespace Gnlc.Processes.Tests;

/// <summary>
/// The Orleans Dashboard has no authentication of its own, so only operators may reach it: it is served on the address
/// an operator gives it (loopback here) and nowhere else, and its address serves nothing but the dashboard. Tested on a
/// real <c>dotnet Gnlc.Api.dll</c> process in Production configuration (the embedded default, which hosts a silo), so
/// the addresses are the ones Kestrel really binds.
/// </summary>
public sealed class DashboardProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private readonly string _directory = Path.Combine("/tmp", "gnlc-dash-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private GnlcProcess? _api;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _api?.KillNow();
        _api?.CloseLog();
        _http.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still held open is removed with /tmp.
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Dashboard_is_served_on_its_own_loopback_address_only()
    {
        var apiPort = FreeTcpPort.Pick();
        var dashboardPort = FreeTcpPort.Pick();
        _api = StartApi(apiPort, $"http://127.0.0.1:{Text(dashboardPort)}");
        await _api.WaitReadyAsync(_http, ReadyTimeout, Cancellation);
        var api = new Uri($"http://127.0.0.1:{Text(apiPort)}");
        var dashboard = new Uri($"http://127.0.0.1:{Text(dashboardPort)}");

        // The dashboard answers on its address...
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(dashboard, "/"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(dashboard, "/index.min.js"));

        // ...and nowhere on the public address; its address serves nothing else.
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(api, "/index.min.js"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api, "/health/live"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(dashboard, "/health/live"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(dashboard, "/api/v1/network/stats"));

        // Bound to loopback only: no listening socket on another interface (0.0.0.0 or ::) for the dashboard's port.
        var listeners = ListeningSockets.OnPort(dashboardPort);
        Assert.NotEmpty(listeners);
        Assert.All(listeners, s => Assert.True(IPAddress.IsLoopback(s.Address), $"the dashboard listens on {s.Address}"));
    }

    [Fact]
    public async Task A_dashboard_address_without_a_port_stops_the_process_with_the_reason()
    {
        _api = StartApi(FreeTcpPort.Pick(), "http://127.0.0.1");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        deadline.CancelAfter(ReadyTimeout);
        while (!_api.HasExited)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
        }

        Assert.True(_api.Printed("Gnlc:Dashboard:Url must be an http URL with an explicit port"), _api.Tail());
    }

    private GnlcProcess StartApi(int httpPort, string dashboardUrl)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Text(httpPort)}",
            // A throwaway key: Production refuses the development key.
            ["Auth__SigningKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["Gnlc__Dashboard__Url"] = dashboardUrl,
            ["Gnlc__Embedded__DataDirectory"] = Path.Combine(_directory, "data"),
            ["Gnlc__Demo__Enabled"] = "false",
            ["Orleans__Endpoints__SiloPort"] = Text(FreeTcpPort.Pick()),
            ["Orleans__Endpoints__GatewayPort"] = Text(FreeTcpPort.Pick()),
        };
        return GnlcProcess.Start("api", BuildOutputs.ApiDll, environment, Path.Combine(_directory, "api.log"), httpPort, siloPort: null);
    }

    private async Task<HttpStatusCode> StatusAsync(Uri server, string path)
    {
        using var response = await _http.GetAsync(new Uri(server, path), Cancellation);
        return response.StatusCode;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
