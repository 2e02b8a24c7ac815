using YamlDotNet.RepresentationModel;

namespace Gnlc.Operations.Tests;

/// <summary>docker/k8s: the same topology as compose, configured by the same documented keys.</summary>
public sealed class KubernetesManifestTests
{
    private const string Folder = "docker/k8s";

    private readonly List<YamlMappingNode> _documents = Load();

    [Fact]
    public void Kustomization_lists_every_manifest_of_the_folder()
    {
        var kustomization = Load("kustomization.yaml").Single();
        var resources = ComposeFile.Strings(kustomization.Children["resources"]);

        var files = Directory.GetFiles(Repository.PathOf(Folder), "*.yaml")
            .Select(Path.GetFileName)
            .Where(name => name != "kustomization.yaml");
        Assert.Equal(files.Order(StringComparer.Ordinal), resources.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("gnlc-silo", "3")]
    [InlineData("gnlc-api", "2")]
    public void Deployments_run_the_topology_of_the_compose_file(string name, string replicas)
    {
        var deployment = Resource("Deployment", name);

        Assert.Equal(replicas, ComposeFile.ScalarOrNull(ComposeFile.Mapping(deployment, "spec"), "replicas"));
    }

    [Theory]
    [InlineData("Deployment", "gnlc-silo")]
    [InlineData("Deployment", "gnlc-api")]
    public void Pods_run_as_non_root_with_live_and_ready_probes(string kind, string name)
    {
        var pod = PodSpec(Resource(kind, name));
        var container = (YamlMappingNode)((YamlSequenceNode)pod.Children["containers"]).Children.Single();

        Assert.Equal("true", ComposeFile.ScalarOrNull(ComposeFile.Mapping(pod, "securityContext"), "runAsNonRoot"));
        Assert.Equal("/health/live", ProbePath(container, "livenessProbe"));
        Assert.Equal("/health/ready", ProbePath(container, "readinessProbe"));
    }

    [Fact]
    public void Migration_job_runs_the_migrate_command_of_the_silo_image()
    {
        var container = Containers(Resource("Job", "gnlc-migrate")).Single();

        Assert.Equal("gnlc-silo", ComposeFile.ScalarOrNull(container, "image"));
        Assert.Equal(["migrate"], ComposeFile.Strings(container.Children["args"]));
    }

    [Fact]
    public void Silos_advertise_their_pod_IP()
    {
        var advertised = Environment(Containers(Resource("Deployment", "gnlc-silo")).Single())
            .Single(variable => ComposeFile.ScalarOrNull(variable, "name") == "Orleans__Endpoints__AdvertisedIPAddress");

        var field = ComposeFile.Mapping(ComposeFile.Mapping(advertised, "valueFrom"), "fieldRef");
        Assert.Equal("status.podIP", ComposeFile.ScalarOrNull(field, "fieldPath"));
    }

    [Fact]
    public void Every_environment_key_is_documented_and_secrets_come_from_a_Secret()
    {
        var documented = ReadmeDocument.ConfigurationKeys();
        var variables = _documents.SelectMany(Containers).SelectMany(Environment).ToList();

        Assert.NotEmpty(variables);
        foreach (var variable in variables)
        {
            var name = ComposeFile.ScalarOrNull(variable, "name")!;
            Assert.Contains(name, documented);
            if (name is "ConnectionStrings__Gnlc" or "Auth__SigningKey")
            {
                Assert.False(variable.Children.ContainsKey("value"), $"{name} has a literal value");
                Assert.NotNull(ComposeFile.Mapping(ComposeFile.Mapping(variable, "valueFrom"), "secretKeyRef"));
            }
        }
    }

    private static List<YamlMappingNode> Load() =>
        [.. Directory.GetFiles(Repository.PathOf(Folder), "*.yaml")
            .Where(file => Path.GetFileName(file) != "kustomization.yaml")
            .SelectMany(file => Load(Path.GetFileName(file)))];

    private static IEnumerable<YamlMappingNode> Load(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Repository.Read($"{Folder}/{file}")));
        return stream.Documents.Select(document => (YamlMappingNode)document.RootNode);
    }

    private YamlMappingNode Resource(string kind, string name) =>
        _documents.Single(document =>
            ComposeFile.ScalarOrNull(document, "kind") == kind
            && ComposeFile.ScalarOrNull(ComposeFile.Mapping(document, "metadata"), "name") == name);

    private static YamlMappingNode PodSpec(YamlMappingNode resource) =>
        ComposeFile.Mapping(ComposeFile.Mapping(ComposeFile.Mapping(resource, "spec"), "template"), "spec");

    private static IEnumerable<YamlMappingNode> Containers(YamlMappingNode resource) =>
        ComposeFile.ScalarOrNull(resource, "kind") is "Deployment" or "Job"
            ? ((YamlSequenceNode)PodSpec(resource).Children["containers"]).Children.Cast<YamlMappingNode>()
            : [];

    private static IEnumerable<YamlMappingNode> Environment(YamlMappingNode container) =>
        container.Children.TryGetValue("env", out var env) ? ((YamlSequenceNode)env).Children.Cast<YamlMappingNode>() : [];

    private static string? ProbePath(YamlMappingNode container, string probe) =>
        ComposeFile.ScalarOrNull(ComposeFile.Mapping(ComposeFile.Mapping(container, probe), "httpGet"), "path");
}
