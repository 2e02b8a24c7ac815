using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Npgsql;
using Xunit;

namespace Gnlc.Testing;

/// <summary>
/// A throwaway PostgreSQL server for one test assembly: initdb into a fresh directory under /tmp, start on a
/// free loopback port, and stop it and delete everything on dispose. Register it once per test project with
/// <c>[assembly: AssemblyFixture(typeof(PostgresServer))]</c> and take it in test class constructors.
/// </summary>
/// <remarks>
/// Durability is switched off for speed (fsync, synchronous_commit, full_page_writes), which is safe because the
/// data never outlives the run. <see cref="StopAsync"/> and <see cref="StartAsync"/> affect every test using the
/// server, so tests calling them belong in a collection with <c>DisableParallelization = true</c>.
/// </remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>The superuser initdb creates; all connection strings log in as it (trust auth, no password).</summary>
    public const string SuperUser = "postgres";

    private const int PortAttempts = 5;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // Longer than the -t given to pg_ctl, so pg_ctl gets to report its own timeout first.
    private static readonly TimeSpan CommandTimeout = StartTimeout + TimeSpan.FromSeconds(30);

    private static readonly TimeSpan EmergencyStopTimeout = TimeSpan.FromSeconds(15);

    private static readonly PosixSignal[] TerminationSignals =
        [PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT];

    private readonly List<PosixSignalRegistration> _signalHooks = [];
    private ServerAccount? _account;
    private string? _rootDirectory;
    private AssemblyLoadContext? _loadContext;
    private int _tornDown;

    /// <summary>The directory holding initdb, pg_ctl and postgres.</summary>
    public string BinDirectory { get; private set; } = "";

    /// <summary>The loopback TCP port; it stays the same across <see cref="StopAsync"/>/<see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>Superuser connection to the "postgres" database. Pooled, like the connections code under test makes.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    /// <summary>The cluster's data directory (kept across restarts, deleted on dispose).</summary>
    public string DataDirectory => Path.Combine(RootDirectory, "data");

    private string RootDirectory => _rootDirectory ?? throw NotInitialized();

    private ServerAccount Account => _account ?? throw NotInitialized();

    private string LogFile => Path.Combine(RootDirectory, "server.log");

    private string PidFile => Path.Combine(DataDirectory, "postmaster.pid");

    // Unpooled so the fixture's own connections never pick up a connector broken by a restart.
    private string ProbeConnectionString =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false, Timeout = 5 }.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        BinDirectory = PostgresBinaries.Locate();
        _account = ServerAccount.ForCurrentProcess();
        _rootDirectory = CreateRootDirectory();
        RegisterExitHooks();
        try
        {
            Account.TakeOwnership(RootDirectory);
            await InitDbAsync();
            AppendTestSettings();
            OrphanWatchdog.Start(RootDirectory, StopCommand("immediate"));
            await StartOnFreePortAsync();
        }
        catch
        {
            // A fixture whose initialisation failed may never be disposed; leave no server or directory behind.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty, uniquely named database and returns a connection string for it.</summary>
    /// <param name="prefix">Readable start of the name (e.g. the test class); sanitised and shortened as needed.</param>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = DatabaseName.Create(prefix);
        await using var connection = new NpgsqlConnection(ProbeConnectionString);
        await connection.OpenAsync();
        // Identifiers cannot be bound as parameters; DatabaseName only produces [a-z0-9_].
        await using var command = new NpgsqlCommand("CREATE DATABASE " + name, connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    /// <summary>
    /// Stops the server but keeps its data, to simulate an outage. Uses a fast (clean) shutdown: with
    /// synchronous_commit=off an immediate one could lose the last commits, and tests expect them after a restart.
    /// </summary>
    public async Task StopAsync()
    {
        var result = await ProcessRunner.RunAsync(StopCommand("fast"), RootDirectory, CommandTimeout);
        EnsureSucceeded(result, "pg_ctl could not stop PostgreSQL");
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same port and data directory.</summary>
    public async Task StartAsync()
    {
        if (!await TryStartAsync())
        {
            throw new InvalidOperationException(
                $"Cannot restart PostgreSQL on port {Port}: another process took the port while the server was stopped.{ServerLogSection()}");
        }
    }

    /// <summary>The server's log so far, for diagnosing failures.</summary>
    public string ReadServerLog() => ReadLog(from: 0);

    public async ValueTask DisposeAsync()
    {
        UnregisterExitHooks();
        await Task.Run(TearDown);
    }

    private static string CreateRootDirectory()
    {
        // /tmp rather than $TMPDIR: the postgres account must be able to reach it, and unix socket paths are
        // limited to ~107 bytes.
        var path = Path.Combine("/tmp", "gnlc-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private async Task InitDbAsync()
    {
        // --no-locale keeps server messages in English (port-clash detection reads them) and sorting byte-wise.
        var result = await RunServerProgramAsync(
            "initdb", "-D", DataDirectory, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync");
        EnsureSucceeded(result, "initdb failed");
    }

    private void AppendTestSettings()
    {
        // Later lines in postgresql.conf win, and being in the file they also apply after a restart.
        File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), $"""

            # Added by Gnlc.Testing: loopback only, and durability traded for speed since the data is thrown away.
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{RootDirectory}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 300

            """);
    }

    private async Task StartOnFreePortAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeTcpPort.Pick();
            if (await TryStartAsync())
            {
                return;
            }

            if (attempt == PortAttempts)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL found its port already taken {PortAttempts} times in a row.{ServerLogSection()}");
            }
        }
    }

    /// <summary>Starts the server on <see cref="Port"/>; false when another process holds that port.</summary>
    private async Task<bool> TryStartAsync()
    {
        var logStart = LogLength();
        var seconds = ((int)StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var result = await RunServerProgramAsync(
            "pg_ctl", "start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", seconds, "-o", $"-p {Port}");
        if (!result.Succeeded)
        {
            // The free port was only free when we looked; someone may have bound it since.
            if (ReadLog(logStart).Contains("Address already in use", StringComparison.Ordinal))
            {
                return false;
            }

            throw new InvalidOperationException($"PostgreSQL did not start. {result}{ServerLogSection()}");
        }

        await WaitUntilAcceptingConnectionsAsync();
        return true;
    }

    private async Task WaitUntilAcceptingConnectionsAsync()
    {
        var elapsed = Stopwatch.StartNew();
        NpgsqlException? lastError = null;
        while (elapsed.Elapsed < StartTimeout)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ProbeConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync();
                return;
            }
            catch (NpgsqlException error)
            {
                // Includes "the database system is starting up"; keep polling until the deadline.
                lastError = error;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException(
            $"PostgreSQL on port {Port} did not accept connections within {StartTimeout.TotalSeconds:0} s. " +
            $"Last error: {lastError?.Message}{ServerLogSection()}",
            lastError);
    }

    /// <summary>Stops the server at once and deletes its directory. Idempotent: dispose and exit hooks may race.</summary>
    private void TearDown()
    {
        if (_rootDirectory is null || Interlocked.Exchange(ref _tornDown, 1) == 1)
        {
            return;
        }

        StopImmediately();
        try
        {
            Directory.Delete(_rootDirectory, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A leftover directory under /tmp is harmless; the watchdog removes it when the test process ends.
        }
    }

    private void StopImmediately()
    {
        // No pid file: StopAsync already stopped it, or it never started.
        if (!File.Exists(PidFile))
        {
            return;
        }

        var result = ProcessRunner.Run(StopCommand("immediate"), RootDirectory, EmergencyStopTimeout);
        if (!result.Succeeded)
        {
            KillPostmaster();
        }
    }

    /// <summary>Last resort if pg_ctl fails: kill the postmaster; its backends exit when they notice it is gone.</summary>
    private void KillPostmaster()
    {
        var firstLine = File.Exists(PidFile) ? File.ReadLines(PidFile).FirstOrDefault() : null;
        if (!int.TryParse(firstLine, CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        try
        {
            using var postmaster = Process.GetProcessById(pid);
            // The pid file may be stale and the number reused; only kill what is really a postgres.
            if (postmaster.ProcessName == "postgres")
            {
                postmaster.Kill();
            }
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or Win32Exception)
        {
            // Already gone.
        }
    }

    private void RegisterExitHooks()
    {
        // Backstops for a run that ends without disposing fixtures. Since .NET 10 a termination signal no longer
        // raises ProcessExit, so the signals that end a run (Ctrl+C, a runner's timeout) are hooked directly.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        foreach (var signal in TerminationSignals)
        {
            _signalHooks.Add(PosixSignalRegistration.Create(signal, OnTerminationSignal));
        }

        // .NET never raises AppDomain.DomainUnload; unloading this assembly's load context is the equivalent.
        _loadContext = AssemblyLoadContext.GetLoadContext(typeof(PostgresServer).Assembly);
        if (_loadContext is not null)
        {
            _loadContext.Unloading += OnUnloading;
        }
    }

    private void UnregisterExitHooks()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        foreach (var hook in _signalHooks)
        {
            hook.Dispose();
        }

        _signalHooks.Clear();
        if (_loadContext is not null)
        {
            _loadContext.Unloading -= OnUnloading;
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => TearDown();

    private void OnTerminationSignal(PosixSignalContext context)
    {
        // If another handler (a runner cancelling gracefully) kept the process alive, fixtures still get
        // disposed normally. Otherwise the default action, ending the process, follows this handler.
        if (!context.Cancel)
        {
            TearDown();
        }
    }

    private void OnUnloading(AssemblyLoadContext context) => TearDown();

    private CommandLine StopCommand(string mode) =>
        Account.Command(
            Path.Combine(BinDirectory, "pg_ctl"), "stop", "-D", DataDirectory, "-m", mode, "-w",
            "-t", ((int)StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture));

    private Task<CommandResult> RunServerProgramAsync(string program, params IEnumerable<string> arguments) =>
        ProcessRunner.RunAsync(Account.Command(Path.Combine(BinDirectory, program), arguments), RootDirectory, CommandTimeout);

    private string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = SuperUser,
            Database = database,
            IncludeErrorDetail = true,
        }.ConnectionString;

    private void EnsureSucceeded(CommandResult result, string failure)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{failure}. {result}{ServerLogSection()}");
        }
    }

    private long LogLength()
    {
        var log = new FileInfo(LogFile);
        return log.Exists ? log.Length : 0;
    }

    private string ReadLog(long from)
    {
        if (!File.Exists(LogFile))
        {
            return "";
        }

        // The server keeps appending to the file; share it rather than lock it.
        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private string ServerLogSection() =>
        _rootDirectory is null ? "" : $"{Environment.NewLine}--- server log ({LogFile}) ---{Environment.NewLine}{ReadServerLog()}";

    private static InvalidOperationException NotInitialized() =>
        new("The PostgreSQL server is not initialised; InitializeAsync must run first (xunit does this for fixtures).");
}
