namespace Gnlc.Operations.Tests;

/// <summary>Compose itself (Debian's docker-compose, installed by scripts/test.sh) validates the file.</summary>
public sealed class ComposeConfigTests
{
    private const string ExampleEnv = "docker/.env.example";

    [Fact]
    public async Task Compose_accepts_the_file_with_the_example_env_file()
    {
        var result = await ComposeConfigAsync(ExampleEnv);

        Assert.True(result.ExitCode == 0, result.ToString());
        // The resolved model, not just an exit code: every service and the Api's replica count made it through.
        foreach (var service in new[] { "postgres:", "migrate:", "silo1:", "silo2:", "silo3:", "api:" })
        {
            Assert.Contains("  " + service, result.Output, StringComparison.Ordinal);
        }

        Assert.Contains("replicas: 2", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compose_refuses_to_run_without_a_PostgreSQL_password()
    {
        var withoutPassword = Path.Combine(Path.GetTempPath(), $"gnlc-ops-{Guid.NewGuid():N}.env");
        var lines = await File.ReadAllLinesAsync(Repository.PathOf(ExampleEnv), TestContext.Current.CancellationToken);
        await File.WriteAllLinesAsync(
            withoutPassword,
            lines.Where(line => !line.StartsWith("POSTGRES_PASSWORD=", StringComparison.Ordinal)),
            TestContext.Current.CancellationToken);
        try
        {
            var result = await ComposeConfigAsync(withoutPassword);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("POSTGRES_PASSWORD", result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(withoutPassword);
        }
    }

    private static Task<CommandResult> ComposeConfigAsync(string envFile)
    {
        var compose = Command.FindOnPath("docker-compose");
        Assert.True(compose is not null, "docker-compose is not on PATH; scripts/test.sh installs Debian's docker-compose package.");
        // The variables the file reads must come from the env file only, never from whoever runs the tests.
        var environment = File.ReadAllLines(Repository.PathOf(ExampleEnv))
            .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.StartsWith('#'))
            .Select(line => line[..line.IndexOf('=', StringComparison.Ordinal)])
            .ToDictionary(name => name, string? (_) => null);
        return Command.RunAsync(compose, ["-f", ComposeFile.RelativePath, "--env-file", envFile, "config"], environment);
    }
}
