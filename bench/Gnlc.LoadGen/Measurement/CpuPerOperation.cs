using System.Globalization;
using Npgsql;

namespace Gnlc.LoadGen.Measurement;

/// <summary>
/// CPU time each process of the system spent per successful operation over a workload's measured window: the
/// Api, the Silo, the load generator and PostgreSQL (its postmaster and every backend). On a CPU-bound 2-core box a
/// write's ratio to raw commits is decided by this sum, so the write workloads report it.
/// </summary>
internal sealed class CpuPerOperation
{
    private readonly List<(string Name, Func<double?> Seconds)> _processes = [];
    private double?[] _start = [];
    private double _startLoad;

    /// <param name="serverPid">The Api (the only process in the embedded mode).</param>
    /// <param name="grainPid">The Silo, when it is a process of its own.</param>
    /// <param name="postgresPid">PostgreSQL's postmaster, if known.</param>
    /// <param name="serverName">How the notes name the server process (the bare Kestrel baseline is not the Api).</param>
    public CpuPerOperation(int serverPid, int grainPid, int? postgresPid, string serverName = "api")
    {
        if (serverPid > 0)
        {
            _processes.Add((serverName, () => ProcessCpu.Seconds(serverPid)));
        }

        if (grainPid > 0 && grainPid != serverPid)
        {
            _processes.Add(("silo", () => ProcessCpu.Seconds(grainPid)));
        }

        _processes.Add(("load generator", () => ProcessCpu.Self()));
        if (postgresPid is { } pg)
        {
            _processes.Add(("postgres", () => ProcessTreeSeconds(pg)));
        }
    }

    /// <summary>The postmaster's pid of the server behind <paramref name="connectionString"/>, read from its data directory (superuser).</summary>
    public static async Task<int?> PostmasterPidAsync(string? connectionString, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return null;
        }

        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await using var command = dataSource.CreateCommand("SHOW data_directory");
            if (await command.ExecuteScalarAsync(cancellationToken) is not string directory)
            {
                return null;
            }

            var first = (await File.ReadAllLinesAsync(Path.Combine(directory, "postmaster.pid"), cancellationToken)).FirstOrDefault();
            return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception error) when (error is NpgsqlException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Start()
    {
        _start = [.. _processes.Select(p => p.Seconds())];
        _startLoad = LoadAverage();
    }

    /// <summary>A note such as "CPU per operation (ms): api 0.41, silo 0.30, load generator 0.12, postgres 0.20, sum 1.03".</summary>
    public string Note(long operations)
    {
        if (_start.Length == 0 || operations <= 0)
        {
            return "CPU per operation: not measured";
        }

        var parts = new List<string>();
        double sum = 0;
        for (var i = 0; i < _processes.Count; i++)
        {
            if (_start[i] is { } before && _processes[i].Seconds() is { } after)
            {
                var ms = (after - before) * 1000 / operations;
                sum += ms;
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{_processes[i].Name} {ms:0.000}"));
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"CPU per operation (ms): {string.Join(", ", parts)}, sum {sum:0.000}; load average {_startLoad:0.00} at start");
    }

    private static double LoadAverage() =>
        double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : double.NaN;

    // PostgreSQL forks a backend per connection: the server's CPU is the postmaster's plus its children's.
    private static double? ProcessTreeSeconds(int postmaster)
    {
        double total = 0;
        var found = false;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            if (pid == postmaster || ParentPid(pid) == postmaster)
            {
                if (ProcessCpu.Seconds(pid) is { } seconds)
                {
                    total += seconds;
                    found = true;
                }
            }
        }

        return found ? total : null;
    }

    private static int? ParentPid(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
