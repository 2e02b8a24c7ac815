using System.Globalization;
using System.Net;

namespace Gnlc.Processes.Tests.Infrastructure;

/// <summary>
/// The TCP sockets listening on a port, read from the kernel's tables (<c>/proc/net/tcp</c> and <c>tcp6</c>): the
/// addresses a server really bound, which no HTTP request from loopback could tell apart.
/// </summary>
internal static class ListeningSockets
{
    private const string ListenState = "0A";

    public static IReadOnlyList<IPEndPoint> OnPort(int port) =>
        [.. Read("/proc/net/tcp").Concat(Read("/proc/net/tcp6")).Where(endpoint => endpoint.Port == port)];

    private static IEnumerable<IPEndPoint> Read(string table)
    {
        if (!File.Exists(table))
        {
            yield break;
        }

        // Each row: "sl local_address rem_address st ...", the local address as HEXADDRESS:HEXPORT.
        foreach (var line in File.ReadLines(table).Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != ListenState)
            {
                continue;
            }

            var local = fields[1].Split(':');
            yield return new IPEndPoint(ParseAddress(local[0]), int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The kernel prints the address as 32-bit words, each in host (little-endian) byte order.</summary>
    private static IPAddress ParseAddress(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }

        return new IPAddress(bytes);
    }
}
