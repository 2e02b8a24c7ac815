using System.Globalization;

namespace Gnlc.LoadGen.Measurement;

/// <summary>Resident memory of a server process, from <c>/proc/&lt;pid&gt;/status</c> (VmRSS).</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS in bytes, or <c>null</c> when the pid is unknown or the process is gone.</summary>
    public static long? RssBytes(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = line["VmRSS:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }

    public static double Mb(long bytes) => bytes / (1024.0 * 1024.0);
}
