using System.ComponentModel;
using System.Diagnostics;

namespace Gnlc.Testing;

/// <summary>
/// A detached shell loop that stops the server and removes its directory once the test process is gone.
/// In-process exit hooks cannot run when the test host is killed outright (SIGKILL, as a cancelled or
/// hung `dotnet test` does), and the daemonised postmaster would otherwise outlive it.
/// </summary>
internal static class OrphanWatchdog
{
    public static void Start(string serverDirectory, CommandLine stopServer)
    {
        var script = Path.Combine(serverDirectory, "orphan-watchdog.sh");
        var directory = new CommandLine(serverDirectory, []).ToShell();
        // It exits quietly once the directory is gone, which is how a normal dispose dismisses it.
        File.WriteAllText(script, $"""
            exec </dev/null >/dev/null 2>&1
            cd /
            while kill -0 {Environment.ProcessId} && [ -d {directory} ]; do sleep 1; done
            [ -d {directory} ] || exit 0
            {stopServer.ToShell()}
            rm -rf {directory}

            """);

        // setsid -f re-parents the loop to init, so killing the test host's whole process tree spares it.
        var setsid = ExecutableSearch.FindOnPath("setsid");
        var launch = setsid is null
            ? new CommandLine("/bin/sh", [script])
            : new CommandLine(setsid, ["-f", "/bin/sh", script]);
        try
        {
            using var process = Process.Start(launch.ToStartInfo("/"));
        }
        catch (Win32Exception)
        {
            // Only a backstop: dispose and the exit hooks still stop the server.
        }
    }
}
