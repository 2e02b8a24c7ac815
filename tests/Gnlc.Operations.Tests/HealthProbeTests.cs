using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gnlc.Operations.Tests;

/// <summary>docker/healthcheck.sh, the images' health probe, against a real HTTP listener.</summary>
public sealed class HealthProbeTests
{
    private const string Probe = "docker/healthcheck.sh";

    [Fact]
    public async Task Probe_is_healthy_when_the_path_answers_200()
    {
        using var server = new OneResponseServer("HTTP/1.1 200 OK", "Healthy");

        var result = await RunProbeAsync(server.Port.ToString(CultureInfo.InvariantCulture), "/health/ready");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("GET /health/ready HTTP/1.1", await server.RequestLine);
    }

    [Fact]
    public async Task Probe_asks_for_health_live_by_default_on_the_first_configured_port()
    {
        using var server = new OneResponseServer("HTTP/1.1 200 OK", "Healthy");

        var result = await RunProbeAsync($"{server.Port};9", path: null);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("GET /health/live HTTP/1.1", await server.RequestLine);
    }

    [Fact]
    public async Task Probe_is_unhealthy_when_the_app_answers_503()
    {
        using var server = new OneResponseServer("HTTP/1.1 503 Service Unavailable", "Unhealthy");

        var result = await RunProbeAsync(server.Port.ToString(CultureInfo.InvariantCulture), "/health/ready");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("503", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_is_unhealthy_when_nothing_listens()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var result = await RunProbeAsync(port.ToString(CultureInfo.InvariantCulture), path: null);

        Assert.NotEqual(0, result.ExitCode);
    }

    private static Task<CommandResult> RunProbeAsync(string ports, string? path) =>
        Command.RunAsync(
            "bash",
            path is null ? [Repository.PathOf(Probe)] : [Repository.PathOf(Probe), path],
            new Dictionary<string, string?> { ["ASPNETCORE_HTTP_PORTS"] = ports });

    /// <summary>Accepts one connection on a free loopback port, records its request line and answers once.</summary>
    private sealed class OneResponseServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public OneResponseServer(string statusLine, string body)
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            RequestLine = ServeAsync(statusLine, body);
        }

        public int Port { get; }

        public Task<string> RequestLine { get; }

        public void Dispose() => _listener.Dispose();

        private async Task<string> ServeAsync(string statusLine, string body)
        {
            using var client = await _listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync(TestContext.Current.CancellationToken) ?? "";
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync(TestContext.Current.CancellationToken)))
            {
                // Headers until the blank line.
            }

            var response = $"{statusLine}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response), TestContext.Current.CancellationToken);
            return requestLine;
        }
    }
}
