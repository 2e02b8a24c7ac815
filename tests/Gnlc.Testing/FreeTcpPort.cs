using System.Net;
using System.Net.Sockets;

namespace Gnlc.Testing;

/// <summary>Asks the OS for a loopback port nobody uses right now.</summary>
internal static class FreeTcpPort
{
    /// <summary>
    /// Binds port 0 and releases it again. Another process may grab the port before the server binds it,
    /// so callers retry on a clash.
    /// </summary>
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
