using System.Diagnostics;

namespace Gnlc.Testing;

/// <summary>A program and its arguments, runnable from .NET or from a shell script.</summary>
internal sealed record CommandLine(string FileName, IReadOnlyList<string> Arguments)
{
    public ProcessStartInfo ToStartInfo(string workingDirectory)
    {
        var startInfo = new ProcessStartInfo(FileName, Arguments)
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            // Redirect everything: a child must never inherit (and so hold open) the test host's own stdout.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return startInfo;
    }

    public string ToShell() => string.Join(' ', new[] { FileName }.Concat(Arguments).Select(Quote));

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public override string ToString() => ToShell();
}
