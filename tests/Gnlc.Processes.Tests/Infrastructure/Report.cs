using System.Globalization;
using System.Text;

namespace Gnlc.Processes.Tests.Infrastructure;

/// <summary>Prints a run's figures to the test output (the console logger of the test command shows them).</summary>
internal static class Report
{
    public static void Print(string title, ProcessCluster cluster, Figures figures, Ledger ledger, params IEnumerable<(string Label, string Text)> sections)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(ledger);
        var text = new StringBuilder();
        text.Append("=== ").Append(title).AppendLine(" ===");
        text.Append(figures.Render());
        text.Append(CultureInfo.InvariantCulture,
            $"acknowledged: {ledger.Registered.Count} registrations, {ledger.Drafts.Count} drafts, {ledger.MayorEndorsements.Count} mayor endorsements, {ledger.Submissions.Count} submissions, {ledger.Endorsements.Count} commission endorsements ({ledger.Acknowledged} writes)")
            .AppendLine();
        text.AppendLine("faults and events:");
        foreach (var fault in cluster.Faults)
        {
            text.Append("  ").AppendLine(fault);
        }

        if (figures.ServerErrorCount > 0 || figures.NoAnswer > 0 || sections.Any(s => s.Text.Contains("lost: ", StringComparison.Ordinal) && !s.Text.Contains("lost: 0;", StringComparison.Ordinal)))
        {
            text.Append("logs of the processes kept in ").AppendLine(cluster.PreserveLogs());
        }

        foreach (var (label, body) in sections)
        {
            text.Append(label).Append(": ").AppendLine(body.TrimEnd());
        }

        TestContext.Current.TestOutputHelper?.WriteLine(text.ToString());
        // Also on the test host's console, which `dotnet test --logger console;verbosity=normal` shows.
        Console.WriteLine(text.ToString());
    }
}
