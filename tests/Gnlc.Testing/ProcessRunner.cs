using System.Diagnostics;

namespace Gnlc.Testing;

/// <summary>The outcome of a finished command: its exit code and everything it printed.</summary>
internal sealed record CommandResult(CommandLine Command, int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"`{Command}` exited with {ExitCode}:{Environment.NewLine}{Output}";
}

/// <summary>Runs short-lived commands to completion, with a time limit so a stuck tool cannot hang the test run.</summary>
internal static class ProcessRunner
{
    public static async Task<CommandResult> RunAsync(CommandLine command, string workingDirectory, TimeSpan timeout)
    {
        using var process = Start(command, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{command}` did not finish within {timeout.TotalSeconds:0} s.");
        }

        return new CommandResult(command, process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Blocking variant for process-exit hooks, where async continuations may never get to run.</summary>
    public static CommandResult Run(CommandLine command, string workingDirectory, TimeSpan timeout)
    {
        using var process = Start(command, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return new CommandResult(command, -1, "timed out");
        }

        return new CommandResult(command, process.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
    }

    private static Process Start(CommandLine command, string workingDirectory)
    {
        var process = Process.Start(command.ToStartInfo(workingDirectory))
            ?? throw new InvalidOperationException($"Could not start `{command}`.");
        process.StandardInput.Close();
        return process;
    }
}
