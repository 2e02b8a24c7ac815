using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gnlc.Operations.Tests;

/// <summary>docker/compose.yaml as written (interpolations not substituted), with YAML merge keys applied.</summary>
internal sealed class ComposeFile
{
    public const string RelativePath = "docker/compose.yaml";

    private ComposeFile(string text, YamlMappingNode root)
    {
        Text = text;
        Root = root;
    }

    public string Text { get; }

    public YamlMappingNode Root { get; }

    public YamlMappingNode Services => Mapping(Root, "services");

    public static ComposeFile Load()
    {
        var text = Repository.Read(RelativePath);
        var stream = new YamlStream();
        // MergingParser applies "<<: *anchor" the way Compose does, so every service reads as Compose sees it.
        stream.Load(new MergingParser(new Parser(new StringReader(text))));
        return new ComposeFile(text, (YamlMappingNode)stream.Documents.Single().RootNode);
    }

    public YamlMappingNode Service(string name) => Mapping(Services, name);

    public IEnumerable<string> ServiceNames => Services.Children.Keys.Select(Scalar);

    /// <summary>Services built from this repository's Dockerfile (as opposed to third-party images).</summary>
    public IEnumerable<string> OwnServiceNames => ServiceNames.Where(name => Service(name).Children.ContainsKey("build"));

    /// <summary>The environment of a service as a map, whichever of the two Compose forms it uses.</summary>
    public IReadOnlyDictionary<string, string> Environment(string service)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Service(service).Children.TryGetValue("environment", out var node))
        {
            return result;
        }

        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    result.Add(Scalar(key), Scalar(value));
                }

                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children.Select(Scalar))
                {
                    var separator = item.IndexOf('=', StringComparison.Ordinal);
                    result.Add(separator < 0 ? item : item[..separator], separator < 0 ? "" : item[(separator + 1)..]);
                }

                break;
            default:
                throw new InvalidOperationException($"environment of {service} is neither a map nor a list");
        }

        return result;
    }

    public static YamlMappingNode Mapping(YamlMappingNode parent, string key) =>
        parent.Children.TryGetValue(key, out var node) && node is YamlMappingNode map
            ? map
            : throw new KeyNotFoundException($"no mapping '{key}' in the compose file");

    public static string? ScalarOrNull(YamlMappingNode parent, string key) =>
        parent.Children.TryGetValue(key, out var node) ? Scalar(node) : null;

    public static string Scalar(YamlNode node) =>
        node is YamlScalarNode scalar ? scalar.Value ?? "" : throw new InvalidOperationException($"{node} is not a scalar");

    public static IReadOnlyList<string> Strings(YamlNode node) => node switch
    {
        YamlSequenceNode list => [.. list.Children.Select(Scalar)],
        YamlScalarNode scalar => [scalar.Value ?? ""],
        _ => throw new InvalidOperationException($"{node} is neither a list nor a scalar"),
    };
}
