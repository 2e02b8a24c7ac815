using System.Diagnostics;
using System.Globalization;

namespace Gnlc.LoadGen.Measurement;

/// <summary>
/// CPU time of a process (user + system), from <c>/proc/&lt;pid&gt;/stat</c>, so a workload can say how much of the
/// machine the server and the load generator itself used: on a shared 2-core box the client can be the bottleneck.
/// </summary>
internal static class ProcessCpu
{
    // USER_HZ: the unit of utime and stime in /proc; 100 on every Linux build the harness runs on.
    private const double TicksPerSecond = 100.0;

    /// <summary>CPU seconds used so far by <paramref name="pid"/>, or null when it is unknown or gone.</summary>
    public static double? Seconds(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // Fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks / TicksPerSecond;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>CPU seconds used so far by this process.</summary>
    public static double Self()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }
}
