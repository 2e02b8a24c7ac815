using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gnlc.Testing;

namespace Gnlc.Processes.Tests.Infrastructure;

/// <summary>
/// One real <c>dotnet Gnlc.Silo.dll</c> or <c>dotnet Gnlc.Api.dll</c> process, configured by environment variables only
/// (as a compose file configures a container), its output kept in a log file for failure messages.
/// </summary>
internal sealed class GnlcProcess
{
    private const int TailLines = 60;

    // Inherited settings that would leak the test runner's configuration into the child.
    private static readonly string[] InheritedConfigurationPrefixes =
        ["ASPNETCORE_", "DOTNET_ENVIRONMENT", "ConnectionStrings", "Orleans", "Gnlc", "Auth", "RateLimiting", "Logging"];

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();

    private GnlcProcess(string name, Process process, StreamWriter log, int httpPort, int? siloPort)
    {
        Name = name;
        _process = process;
        _log = log;
        HttpPort = httpPort;
        SiloPort = siloPort;
    }

    public string Name { get; }

    /// <summary>The process id, known once it has started.</summary>
    public int Pid { get; private set; }

    public int HttpPort { get; }

    /// <summary>The silo-to-silo port (the membership table's <c>port</c>); null for an Api process.</summary>
    public int? SiloPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}/");

    public bool HasExited => _process.HasExited;

    public static GnlcProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment, string logFile, int httpPort, int? siloPort)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : ExecutableSearch.FindOnPath("dotnet") ?? "dotnet";
        var startInfo = new CommandLine(dotnet, [dll]).ToStartInfo(Path.GetDirectoryName(dll)!);
        foreach (var key in startInfo.Environment.Keys.ToList())
        {
            if (InheritedConfigurationPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                startInfo.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var started = new GnlcProcess(name, process, log, httpPort, siloPort);
        process.OutputDataReceived += (_, line) => started.Append(line.Data);
        process.ErrorDataReceived += (_, line) => started.Append(line.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name}: {startInfo.FileName} {dll}");
        }

        started.Pid = process.Id;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 200; fails at once if the process exits first.</summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var ready = new Uri(BaseAddress, "health/ready");
        string last = "no answer yet";
        while (true)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready.{Environment.NewLine}{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(ready, deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException error)
            {
                last = error.Message;
            }
            catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
            {
                if (deadline.IsCancellationRequested)
                {
                    throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:0} s (last: {last}).{Environment.NewLine}{Tail()}");
                }

                // The probe's own timeout: a busy machine, not an answer; ask again.
                last = error.Message;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:0} s (last: {last}).{Environment.NewLine}{Tail()}");
            }
        }
    }

    /// <summary>Sends SIGTERM (what <c>docker stop</c> sends) and waits for the exit; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        if (!HasExited)
        {
            var kill = await ProcessRunner.RunAsync(
                new CommandLine("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]), "/", TimeSpan.FromSeconds(10));
            if (!kill.Succeeded && !HasExited)
            {
                throw new InvalidOperationException($"Could not signal {Name}: {kill}");
            }
        }

        using var deadline = new CancellationTokenSource(StopTimeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {StopTimeout.TotalSeconds:0} s of SIGTERM.{Environment.NewLine}{Tail()}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to leave the cluster or finish anything.</summary>
    public async Task KillAsync()
    {
        if (!HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: false);
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Best effort, for disposal: SIGKILL without waiting long.</summary>
    public void KillNow()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception error) when (error is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    public void CloseLog()
    {
        lock (_gate)
        {
            _log.Dispose();
        }
    }

    public string Tail()
    {
        lock (_gate)
        {
            return $"--- last lines of {Name} (pid {Pid}) ---{Environment.NewLine}{string.Join(Environment.NewLine, _tail)}";
        }
    }

    public bool Printed(string text)
    {
        lock (_gate)
        {
            return _tail.Any(line => line.Contains(text, StringComparison.OrdinalIgnoreCase));
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }

            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The cluster was disposed while the process still wrote.
            }
        }
    }
}
