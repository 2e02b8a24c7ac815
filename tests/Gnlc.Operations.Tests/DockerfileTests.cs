namespace Gnlc.Operations.Tests;

/// <summary>docker/Dockerfile: SDK build, ASP.NET Core runtime targets that run as non-root with a health check.</summary>
public sealed class DockerfileTests
{
    private readonly IReadOnlyList<DockerStage> _stages = Dockerfile.Load();

    [Theory]
    [InlineData("silo", "Gnlc.Silo.dll")]
    [InlineData("api", "Gnlc.Api.dll")]
    public void Runtime_target_runs_the_app_on_the_aspnet_image(string target, string assembly)
    {
        var stage = Stage(target);

        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", stage.BaseImage);
        var entrypoint = Assert.Single(stage.All("ENTRYPOINT"));
        Assert.Equal($"[\"dotnet\", \"{assembly}\"]", entrypoint.Arguments);
        // Only published output comes in: the SDK stays in the build stages.
        Assert.Contains(stage.All("COPY"), copy => copy.Arguments.StartsWith("--from=publish-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("api")]
    public void Runtime_target_runs_as_a_non_root_user(string target)
    {
        var user = Stage(target).All("USER").LastOrDefault();

        Assert.NotNull(user);
        var name = user.Arguments.Split(':')[0];
        Assert.DoesNotContain(name, new[] { "", "root", "0" });
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("api")]
    public void Runtime_target_checks_health_on_health_live(string target)
    {
        var healthcheck = Assert.Single(Stage(target).All("HEALTHCHECK"));

        Assert.Contains(" CMD ", " " + healthcheck.Arguments + " ", StringComparison.Ordinal);
        Assert.Contains("\"/health/live\"", healthcheck.Arguments, StringComparison.Ordinal);
        // The command it runs is installed by the same stage.
        var probe = healthcheck.Arguments[(healthcheck.Arguments.IndexOf("CMD [\"", StringComparison.Ordinal) + 6)..].Split('"')[0];
        Assert.Contains(Stage(target).All("COPY"), copy => copy.Arguments.EndsWith(" " + probe, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("publish-silo", "Silo/Gnlc.Silo.csproj")]
    [InlineData("publish-api", "Api/Gnlc.Api.csproj")]
    public void Publish_stage_builds_the_project_in_Release_on_the_SDK_image(string stageName, string project)
    {
        var stage = Stage(stageName);
        var build = Stage(stage.BaseImage);

        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", build.BaseImage);
        Assert.Contains(stage.All("RUN"), run => run.Arguments.Contains($"dotnet publish {project} -c Release", StringComparison.Ordinal));
    }

    [Fact]
    public void Everything_the_build_copies_exists_and_is_inside_the_build_context()
    {
        var ignore = new DockerIgnore(Repository.Read(".dockerignore"));
        var sources = _stages
            .SelectMany(stage => stage.All("COPY"))
            .Where(copy => !copy.Arguments.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(copy => copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(word => !word.StartsWith("--", StringComparison.Ordinal)).SkipLast(1))
            .ToList();

        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            Assert.True(File.Exists(Repository.PathOf(source)) || Directory.Exists(Repository.PathOf(source)), $"{source} does not exist");
            Assert.False(ignore.Excludes(source), $"{source} is excluded by .dockerignore");
        }
    }

    [Theory]
    [InlineData("Silo/bin/Release/net10.0/Gnlc.Silo.dll")]
    [InlineData("Api/obj/project.assets.json")]
    [InlineData("Grains/obj/Release/net10.0/Gnlc.Grains.dll")]
    [InlineData("Api/.gnlc-data/gnlc.db")]
    [InlineData(".git/HEAD")]
    [InlineData("docker/.env")]
    [InlineData("tests/Gnlc.Api.Tests/Gnlc.Api.Tests.csproj")]
    public void Build_context_leaves_out_local_output_data_and_secrets(string path)
    {
        Assert.True(new DockerIgnore(Repository.Read(".dockerignore")).Excludes(path), path);
    }

    private DockerStage Stage(string name) =>
        _stages.SingleOrDefault(stage => stage.Name == name) ?? throw new KeyNotFoundException($"no stage '{name}' in the Dockerfile");
}
