using System.Text.RegularExpressions;

namespace Gnlc.Operations.Tests;

/// <summary>README.md read as sections, with the Operations configuration table as a set of keys.</summary>
internal static partial class ReadmeDocument
{
    public static string Text => Repository.Read("README.md");

    /// <summary>The body of a section whose heading is exactly <paramref name="heading"/> (e.g. "## Operations").</summary>
    public static string Section(string heading, string? text = null)
    {
        var lines = (text ?? Text).Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        var start = lines.FindIndex(line => line == heading);
        if (start < 0)
        {
            throw new KeyNotFoundException($"README has no '{heading}' heading");
        }

        var level = heading.TakeWhile(c => c == '#').Count();
        var body = new List<string>();
        var inFence = false;
        foreach (var line in lines.Skip(start + 1))
        {
            inFence ^= line.StartsWith("```", StringComparison.Ordinal);
            var headingLevel = line.TakeWhile(c => c == '#').Count();
            if (!inFence && headingLevel > 0 && headingLevel <= level && line.Length > headingLevel && line[headingLevel] == ' ')
            {
                break;
            }

            body.Add(line);
        }

        return string.Join('\n', body);
    }

    /// <summary>Every key (in backticks, first column) of the table under "### Configuration" in "## Operations".</summary>
    public static IReadOnlySet<string> ConfigurationKeys()
    {
        var table = Section("### Configuration", Section("## Operations"));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in table.Split('\n').Where(line => line.StartsWith('|')).Skip(2))
        {
            var firstCell = row.Split('|')[1];
            foreach (Match key in CodeSpan().Matches(firstCell))
            {
                keys.Add(key.Groups[1].Value);
            }
        }

        return keys;
    }

    /// <summary>The default column (second) of the configuration table row that holds <paramref name="key"/>.</summary>
    public static string DefaultOf(string key)
    {
        var table = Section("### Configuration", Section("## Operations"));
        var row = table.Split('\n').Single(line => line.StartsWith('|') && line.Split('|')[1].Contains($"`{key}`", StringComparison.Ordinal));
        return row.Split('|')[2].Trim();
    }

    /// <summary>The contents of the fenced code blocks of a text.</summary>
    public static IReadOnlyList<string> CodeBlocks(string text) =>
        [.. FencedBlock().Matches(text).Select(match => match.Groups[1].Value.Trim())];

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"```[a-z]*\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
