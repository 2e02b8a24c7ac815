using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Gnlc.Testing;
using Npgsql;

namespace Gnlc.Processes.Tests.Infrastructure;

/// <summary>
/// A GNLC deployment as real processes on loopback: silos (<c>dotnet Gnlc.Silo.dll</c>) and Api front ends
/// (<c>dotnet Gnlc.Api.dll</c>) on one PostgreSQL database, configured with exactly the environment keys a compose file
/// would set. Children are killed on dispose, on the test host's exit, and, should the test host itself be killed, by
/// an <see cref="OrphanWatchdog"/> that outlives it.
/// </summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    /// <summary>Orleans' <c>SiloStatus.Active</c> and <c>SiloStatus.Dead</c> as the membership table stores them.</summary>
    public const int ActiveStatus = 3;

    public const int DeadStatus = 6;

    /// <summary>
    /// How long a grain call waits for its answer (Orleans' default is 30 s). A call sent to a silo that was SIGKILLed
    /// before the cluster declared it dead has no one to answer it; 10 s bounds what such a request costs its client
    /// (it then gets a 503 it may retry) while staying well above any healthy call here.
    /// </summary>
    public const string ResponseTimeout = "00:00:10";

    private const int StartAttempts = 3;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private readonly string _directory;
    private readonly string _pidFile;
    private readonly Lock _gate = new();
    private readonly HttpClient _probe = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    private readonly List<GnlcProcess> _everyProcess = [];
    private readonly ConcurrentQueue<string> _faults = new();
    private int _generation;

    public ProcessCluster(string connectionString)
    {
        ConnectionString = connectionString;
        ClusterId = "proc-" + Guid.NewGuid().ToString("N")[..10];
        ServiceId = "gnlc-" + Guid.NewGuid().ToString("N")[..10];
        _directory = Path.Combine("/tmp", "gnlc-proc-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
        _pidFile = Path.Combine(_directory, "pids");
        File.WriteAllText(_pidFile, "");
        var killScript = Path.Combine(_directory, "kill-children.sh");
        // Only kills a pid that is still one of ours (a GNLC dll), in case the number was reused meanwhile.
        File.WriteAllText(killScript, $"""
            for pid in $(cat {new CommandLine(_pidFile, []).ToShell()} 2>/dev/null); do
              if grep -q 'Gnlc\.' /proc/$pid/cmdline 2>/dev/null; then kill -9 $pid; fi
            done

            """);
        OrphanWatchdog.Start(_directory, new CommandLine("/bin/sh", [killScript]));
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public string ConnectionString { get; }

    public string ClusterId { get; }

    public string ServiceId { get; }

    /// <summary>Silo slots: index i is "silo-{i+1}"; a stopped slot keeps its last process until started again.</summary>
    public List<GnlcProcess> Silos { get; } = [];

    public List<GnlcProcess> Apis { get; } = [];

    /// <summary>Time since the cluster was created: the clock of the fault log.</summary>
    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public IReadOnlyList<string> Faults => [.. _faults];

    public IEnumerable<Uri> ApiAddresses => Apis.Select(api => api.BaseAddress);

    /// <summary>Starts <paramref name="silos"/> silos, then <paramref name="apis"/> Api processes, each until ready.</summary>
    public async Task StartAsync(int silos, int apis, CancellationToken cancellationToken)
    {
        Silos.Clear();
        Apis.Clear();
        var started = await Task.WhenAll(Enumerable.Range(0, silos).Select(i => StartSiloAsync($"silo-{i + 1}", cancellationToken)));
        Silos.AddRange(started);
        await WaitForActiveSilosAsync(cancellationToken);
        var fronts = await Task.WhenAll(Enumerable.Range(0, apis).Select(i => StartApiAsync($"api-{i + 1}", cancellationToken)));
        Apis.AddRange(fronts);
    }

    public void Note(string fault) => _faults.Enqueue($"t+{Clock.Elapsed.TotalSeconds:0.0} s: {fault}");

    /// <summary>SIGTERM to a silo: returns its exit code once it has exited.</summary>
    public async Task<int> TerminateSiloAsync(int index)
    {
        var silo = Silos[index];
        Note($"SIGTERM {silo.Name} (pid {silo.Pid})");
        var exitCode = await silo.TerminateAsync();
        Note($"{silo.Name} exited with {exitCode}");
        return exitCode;
    }

    /// <summary>SIGKILL to a silo.</summary>
    public async Task KillSiloAsync(int index)
    {
        var silo = Silos[index];
        Note($"SIGKILL {silo.Name} (pid {silo.Pid})");
        await silo.KillAsync();
    }

    /// <summary>Stops every process with SIGTERM, front ends first; returns each one's name and exit code.</summary>
    public async Task<IReadOnlyList<(string Name, int ExitCode)>> StopAllAsync()
    {
        Note("SIGTERM every process (full stop)");
        var results = new List<(string, int)>();
        foreach (var api in Apis.Where(p => !p.HasExited))
        {
            results.Add((api.Name, await api.TerminateAsync()));
        }

        var silos = Silos.Where(p => !p.HasExited).ToList();
        var codes = await Task.WhenAll(silos.Select(s => s.TerminateAsync()));
        results.AddRange(silos.Select((s, i) => (s.Name, codes[i])));
        Note("every process exited");
        return results;
    }

    /// <summary>The membership rows of this cluster: each silo incarnation's port and status.</summary>
    public async Task<IReadOnlyList<(int Port, int Generation, int Status)>> MembershipAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT port, generation, status FROM orleans_membership WHERE deployment_id = @cluster ORDER BY port, generation", connection);
        command.Parameters.AddWithValue("cluster", ClusterId);
        var rows = new List<(int, int, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return rows;
    }

    /// <summary>The membership status of a silo's latest incarnation.</summary>
    public async Task<int?> MembershipStatusAsync(GnlcProcess silo, CancellationToken cancellationToken) =>
        LatestStatus(await MembershipAsync(cancellationToken), silo);

    private static int? LatestStatus(IReadOnlyList<(int Port, int Generation, int Status)> rows, GnlcProcess silo) =>
        rows.Where(row => row.Port == silo.SiloPort).OrderBy(row => row.Generation).Select(row => (int?)row.Status).LastOrDefault();

    /// <summary>
    /// Polls until the latest incarnation of every started silo is Active in the membership table. Rows of other
    /// processes do not count: a start retried on new ports (address already in use) can leave an earlier attempt's
    /// row behind until the cluster declares it dead. On timeout the message holds the table and every child's log.
    /// </summary>
    public async Task WaitForActiveSilosAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Poll.UntilAsync(
                async () =>
                {
                    var rows = await MembershipAsync(cancellationToken);
                    return Silos.All(silo => LatestStatus(rows, silo) == ActiveStatus);
                },
                TimeSpan.FromSeconds(90), $"{Silos.Count} started silos Active in the membership table", cancellationToken);
        }
        catch (TimeoutException timeout)
        {
            var rows = await MembershipAsync(cancellationToken);
            var table = string.Join(", ", rows.Select(row => $"port {row.Port} generation {row.Generation} status {row.Status}"));
            var ports = string.Join(", ", Silos.Select(silo => $"{silo.Name} port {silo.SiloPort}{(silo.HasExited ? " (exited)" : "")}"));
            throw new TimeoutException(
                $"{timeout.Message} Silos: {ports}. Membership: {table}. Logs kept in {PreserveLogs()}.{Environment.NewLine}{Tails()}", timeout);
        }
    }

    /// <summary>Polls until the membership table declares the silo dead (a SIGKILLed silo is declared so by the others).</summary>
    public async Task WaitUntilDeadAsync(GnlcProcess silo, CancellationToken cancellationToken)
    {
        await Poll.UntilAsync(
            async () => await MembershipStatusAsync(silo, cancellationToken) == DeadStatus,
            TimeSpan.FromSeconds(120), $"{silo.Name} declared Dead in the membership table", cancellationToken);
        Note($"{silo.Name} is Dead in the membership table");
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        KillEveryProcess();
        await Task.Yield();
        _probe.Dispose();
        try
        {
            // Also dismisses the watchdog, which exits once the directory is gone.
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A leftover directory under /tmp is harmless.
        }
    }

    /// <summary>Copies the children's logs out of the cluster's directory (deleted on dispose); returns where to.</summary>
    public string PreserveLogs()
    {
        var target = Path.Combine(Path.GetTempPath(), "gnlc-process-logs", ClusterId);
        Directory.CreateDirectory(target);
        foreach (var log in Directory.EnumerateFiles(_directory, "*.log"))
        {
            File.Copy(log, Path.Combine(target, Path.GetFileName(log)), overwrite: true);
        }

        return target;
    }

    /// <summary>The log of every child so far, for a failure message.</summary>
    public string Tails() => string.Join(Environment.NewLine, _everyProcess.Select(p => p.Tail()));

    private Task<GnlcProcess> StartSiloAsync(string name, CancellationToken cancellationToken) =>
        StartWithFreePortsAsync(name, BuildOutputs.SiloDll, silo: true, cancellationToken);

    private Task<GnlcProcess> StartApiAsync(string name, CancellationToken cancellationToken) =>
        StartWithFreePortsAsync(name, BuildOutputs.ApiDll, silo: false, cancellationToken);

    private async Task<GnlcProcess> StartWithFreePortsAsync(string name, string dll, bool silo, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var httpPort = FreeTcpPort.Pick();
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ConnectionStrings__Gnlc"] = ConnectionString,
                ["Orleans__ClusterId"] = ClusterId,
                ["Orleans__ServiceId"] = ServiceId,
                ["Orleans__Messaging__ResponseTimeout"] = ResponseTimeout,
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}",
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
            };
            int? siloPort = null;
            if (silo)
            {
                siloPort = FreeTcpPort.Pick();
                environment["Orleans__Endpoints__SiloPort"] = siloPort.Value.ToString(CultureInfo.InvariantCulture);
                environment["Orleans__Endpoints__GatewayPort"] = FreeTcpPort.Pick().ToString(CultureInfo.InvariantCulture);
                environment["Orleans__Endpoints__AdvertisedIPAddress"] = "127.0.0.1";
            }

            var generation = Interlocked.Increment(ref _generation);
            var log = Path.Combine(_directory, $"{name}.{generation.ToString(CultureInfo.InvariantCulture)}.log");
            var process = GnlcProcess.Start(name, dll, environment, log, httpPort, siloPort);
            lock (_gate)
            {
                _everyProcess.Add(process);
                File.AppendAllText(_pidFile, process.Pid.ToString(CultureInfo.InvariantCulture) + "\n");
            }

            try
            {
                await process.WaitReadyAsync(_probe, ReadyTimeout, cancellationToken);
                return process;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && process.HasExited && process.Printed("address already in use"))
            {
                // A free port was only free when we looked: try again with new ones.
            }
        }
    }

    private void KillEveryProcess()
    {
        List<GnlcProcess> processes;
        lock (_gate)
        {
            processes = [.. _everyProcess];
        }

        foreach (var process in processes)
        {
            process.KillNow();
            process.CloseLog();
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => KillEveryProcess();
}
