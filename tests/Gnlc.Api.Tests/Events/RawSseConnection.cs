using System.Net.Sockets;
using System.Text;

namespace Gnlc.Api.Tests.Events;

/// <summary>
/// A feed client on a bare socket with a small receive buffer, that reads nothing until told to: the slow client.
/// </summary>
public sealed class RawSseConnection : IDisposable
{
    private readonly Socket _socket;

    private RawSseConnection(Socket socket) => _socket = socket;

    public static async Task<RawSseConnection> OpenAsync(Uri baseAddress, string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            // Set before connecting, so the advertised window stays small: the server's writes back up soon.
            ReceiveBufferSize = 4 * 1024,
        };
        await socket.ConnectAsync(baseAddress.Host, baseAddress.Port, cancellationToken);
        var request = $"GET /api/v1/events{query} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nAccept: text/event-stream\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken);
        return new RawSseConnection(socket);
    }

    /// <summary>
    /// Reads everything the server sent until the server closes or resets the connection. Returns the text read, or
    /// throws <see cref="TimeoutException"/> when the connection is still open after <paramref name="timeout"/>.
    /// </summary>
    public async Task<string> DrainUntilClosedAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var text = new StringBuilder();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    return text.ToString();
                }

                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (SocketException)
        {
            // Reset by the server.
            return text.ToString();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The server kept the connection open ({text.Length} characters read).");
        }
    }

    public void Dispose() => _socket.Dispose();
}
