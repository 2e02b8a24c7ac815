namespace Gnlc.Testing;

/// <summary>
/// The OS account the PostgreSQL server programs run as. initdb and pg_ctl refuse to run as root, so a root
/// test process (CI containers) runs them as the unprivileged "postgres" account Debian's postgresql package creates.
/// </summary>
internal sealed class ServerAccount
{
    private const string UnprivilegedAccount = "postgres";

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);

    private readonly string? _runUser;

    private ServerAccount(string? runUser) => _runUser = runUser;

    public static ServerAccount ForCurrentProcess()
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            return new ServerAccount(runUser: null);
        }

        var runUser = ExecutableSearch.FindSystemProgram("runuser")
            ?? throw new InvalidOperationException(
                "Running as root, and initdb refuses to run as root, but `runuser` (util-linux) is missing to switch to the 'postgres' account.");
        var lookup = ProcessRunner.Run(new CommandLine("id", ["-u", UnprivilegedAccount]), "/", ToolTimeout);
        if (!lookup.Succeeded)
        {
            throw new InvalidOperationException(
                "Running as root, and initdb refuses to run as root, but there is no unprivileged 'postgres' account to run it as. " +
                "Install the server with `apt-get install postgresql` (it creates that account), or run the tests as a non-root user.");
        }

        return new ServerAccount(runUser);
    }

    /// <summary>Wraps a command so it runs as this account.</summary>
    public CommandLine Command(string program, params IEnumerable<string> arguments) =>
        _runUser is null
            ? new CommandLine(program, [.. arguments])
            : new CommandLine(_runUser, ["-u", UnprivilegedAccount, "--", program, .. arguments]);

    /// <summary>Makes a directory this process created writable for the server programs.</summary>
    public void TakeOwnership(string directory)
    {
        if (_runUser is null)
        {
            return;
        }

        var chown = ProcessRunner.Run(new CommandLine("chown", [UnprivilegedAccount + ":", directory]), "/", ToolTimeout);
        if (!chown.Succeeded)
        {
            throw new InvalidOperationException($"Could not hand {directory} to the '{UnprivilegedAccount}' account. {chown}");
        }
    }
}
