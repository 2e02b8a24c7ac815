using System.Text.RegularExpressions;

namespace Gnlc.Operations.Tests;

/// <summary>One instruction of a Dockerfile: its keyword (upper case) and its arguments, continuations joined.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments);

/// <summary>One build stage: the image it starts from (ARG defaults substituted) and its instructions.</summary>
internal sealed record DockerStage(string? Name, string BaseImage, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(instruction => instruction.Keyword == keyword);
}

/// <summary>A small Dockerfile reader: enough to check stages, users, health checks and copied paths.</summary>
internal static partial class Dockerfile
{
    public const string RelativePath = "docker/Dockerfile";

    public static IReadOnlyList<DockerStage> Load() => Parse(Repository.Read(RelativePath));

    public static IReadOnlyList<DockerStage> Parse(string text)
    {
        var globalArgs = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new List<DockerStage>();
        string? name = null;
        string? baseImage = null;
        var instructions = new List<DockerInstruction>();
        foreach (var instruction in Instructions(text))
        {
            if (instruction.Keyword == "FROM")
            {
                if (baseImage is not null)
                {
                    stages.Add(new DockerStage(name, baseImage, instructions));
                }

                var match = FromPattern().Match(instruction.Arguments);
                if (!match.Success)
                {
                    throw new FormatException($"FROM {instruction.Arguments}");
                }

                baseImage = ArgReference().Replace(match.Groups["image"].Value, reference =>
                    globalArgs.TryGetValue(reference.Groups["name"].Value, out var value) ? value : reference.Value);
                name = match.Groups["name"].Success ? match.Groups["name"].Value : null;
                instructions = [];
            }
            else if (baseImage is null && instruction.Keyword == "ARG")
            {
                // ARGs before the first FROM: defaults usable in FROM lines.
                var separator = instruction.Arguments.IndexOf('=', StringComparison.Ordinal);
                if (separator > 0)
                {
                    globalArgs[instruction.Arguments[..separator].Trim()] = instruction.Arguments[(separator + 1)..].Trim();
                }
            }
            else if (baseImage is not null)
            {
                instructions.Add(instruction);
            }
        }

        if (baseImage is not null)
        {
            stages.Add(new DockerStage(name, baseImage, instructions));
        }

        return stages;
    }

    private static IEnumerable<DockerInstruction> Instructions(string text)
    {
        var logical = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                logical += line[..^1] + " ";
                continue;
            }

            logical += line;
            if (!string.IsNullOrWhiteSpace(logical))
            {
                var trimmed = logical.Trim();
                var space = trimmed.IndexOfAny([' ', '\t']);
                yield return space < 0
                    ? new DockerInstruction(trimmed.ToUpperInvariant(), "")
                    : new DockerInstruction(trimmed[..space].ToUpperInvariant(), trimmed[(space + 1)..].Trim());
            }

            logical = "";
        }
    }

    [GeneratedRegex(@"^(--platform=\S+\s+)?(?<image>\S+)(\s+AS\s+(?<name>\S+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex FromPattern();

    [GeneratedRegex(@"\$\{?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex ArgReference();
}

/// <summary>The build context rules of .dockerignore: last matching pattern wins, '!' re-includes.</summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules = [];

    public DockerIgnore(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var exclude = !line.StartsWith('!');
            var pattern = (exclude ? line : line[1..]).Trim().Trim('/');
            _rules.Add((new Regex("^" + GlobToRegex(pattern) + "$", RegexOptions.CultureInvariant), exclude));
        }
    }

    /// <summary>Whether a path (relative to the context root, '/' separated) is left out of the build context.</summary>
    public bool Excludes(string path)
    {
        path = path.Trim('/');
        var excluded = false;
        foreach (var (pattern, exclude) in _rules)
        {
            // A pattern that matches a folder excludes everything below it.
            if (Prefixes(path).Any(pattern.IsMatch))
            {
                excluded = exclude;
            }
        }

        return excluded;
    }

    private static IEnumerable<string> Prefixes(string path)
    {
        var parts = path.Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            yield return string.Join('/', parts[..i]);
        }
    }

    private static string GlobToRegex(string glob)
    {
        var regex = new System.Text.StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" matches any number of folders, including none.
                regex.Append(i + 2 < glob.Length && glob[i + 2] == '/' ? "(.*/)?" : ".*");
                i += i + 2 < glob.Length && glob[i + 2] == '/' ? 2 : 1;
            }
            else if (glob[i] == '*')
            {
                regex.Append("[^/]*");
            }
            else if (glob[i] == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(glob[i].ToString()));
            }
        }

        return regex.ToString();
    }
}
