using YamlDotNet.RepresentationModel;

namespace Gnlc.Operations.Tests;

/// <summary>The deployment docker/compose.yaml describes: PostgreSQL, migrate, three silos, two Api replicas.</summary>
public sealed class ComposeTopologyTests
{
    private static readonly string[] Silos = ["silo1", "silo2", "silo3"];

    private readonly ComposeFile _compose = ComposeFile.Load();

    [Fact]
    public void Services_are_postgres_migrate_three_silos_and_the_api()
    {
        Assert.Equal(["api", "migrate", "postgres", "silo1", "silo2", "silo3"], _compose.ServiceNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Postgres_17_keeps_its_data_in_a_named_volume()
    {
        var postgres = _compose.Service("postgres");

        Assert.Equal("postgres:17", ComposeFile.ScalarOrNull(postgres, "image"));
        var mounts = ComposeFile.Strings(postgres.Children["volumes"]);
        var data = Assert.Single(mounts, mount => mount.Split(':')[1] == "/var/lib/postgresql/data");
        var volume = data.Split(':')[0];
        // A volume name, not a host path, declared among the top-level volumes.
        Assert.Matches("^[a-z][a-z0-9_-]*$", volume);
        Assert.Contains(volume, ComposeFile.Mapping(_compose.Root, "volumes").Children.Keys.Select(ComposeFile.Scalar));
    }

    [Fact]
    public void Postgres_reports_health_with_pg_isready()
    {
        var healthcheck = ComposeFile.Mapping(_compose.Service("postgres"), "healthcheck");

        var test = ComposeFile.Strings(healthcheck.Children["test"]);
        Assert.Contains(test, part => part.Contains("pg_isready", StringComparison.Ordinal));
    }

    [Fact]
    public void Migrate_runs_the_silo_image_migrate_command_once_postgres_is_healthy()
    {
        var migrate = _compose.Service("migrate");

        Assert.Equal(["migrate"], ComposeFile.Strings(migrate.Children["command"]));
        Assert.Equal("silo", BuildTarget("migrate"));
        Assert.Equal(ComposeFile.ScalarOrNull(_compose.Service("silo1"), "image"), ComposeFile.ScalarOrNull(migrate, "image"));
        Assert.Equal("no", ComposeFile.ScalarOrNull(migrate, "restart"));
        Assert.Equal("service_healthy", DependencyCondition("migrate", "postgres"));
        Assert.True(_compose.Environment("migrate").ContainsKey("ConnectionStrings__Gnlc"));
    }

    [Theory]
    [InlineData("silo1")]
    [InlineData("silo2")]
    [InlineData("silo3")]
    public void Each_silo_starts_only_after_migrate_completed_successfully(string silo)
    {
        Assert.Equal("silo", BuildTarget(silo));
        Assert.Equal("service_completed_successfully", DependencyCondition(silo, "migrate"));
        Assert.Equal("service_healthy", DependencyCondition(silo, "postgres"));
    }

    [Fact]
    public void The_three_silos_listen_on_distinct_silo_and_gateway_ports()
    {
        var siloPorts = Silos.Select(silo => _compose.Environment(silo)["Orleans__Endpoints__SiloPort"]).ToList();
        var gatewayPorts = Silos.Select(silo => _compose.Environment(silo)["Orleans__Endpoints__GatewayPort"]).ToList();

        var all = siloPorts.Concat(gatewayPorts).ToList();
        Assert.All(all, port => Assert.InRange(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), 1024, 65535));
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Silos_and_api_share_one_cluster_and_database()
    {
        var members = Silos.Append("api").ToList();

        foreach (var key in new[] { "ConnectionStrings__Gnlc", "Orleans__ClusterId", "Orleans__ServiceId" })
        {
            var values = members.Select(member => _compose.Environment(member)[key]).Distinct(StringComparer.Ordinal);
            Assert.True(values.Count() == 1, $"{key} differs between {string.Join(", ", members)}");
        }

        Assert.Equal(_compose.Environment("api")["ConnectionStrings__Gnlc"], _compose.Environment("migrate")["ConnectionStrings__Gnlc"]);
    }

    [Fact]
    public void Api_runs_two_replicas_in_production_after_the_silos_are_healthy()
    {
        var api = _compose.Service("api");

        Assert.Equal("api", BuildTarget("api"));
        Assert.Equal("2", ComposeFile.ScalarOrNull(ComposeFile.Mapping(api, "deploy"), "replicas"));
        Assert.All(Silos, silo => Assert.Equal("service_healthy", DependencyCondition("api", silo)));
        Assert.Equal("Production", _compose.Environment("api")["ASPNETCORE_ENVIRONMENT"]);
        // Replicas cannot share one fixed host port (and must not be pinned to one container name).
        Assert.False(api.Children.ContainsKey("container_name"));
    }

    [Fact]
    public void Our_services_run_outside_Development_with_json_console_logs()
    {
        foreach (var service in _compose.OwnServiceNames)
        {
            var environment = _compose.Environment(service);
            Assert.Equal("json", environment["Logging__Console__FormatterName"]);
            // Development would enable the test clock and the development-only routes.
            Assert.NotEqual("Development", environment.GetValueOrDefault("ASPNETCORE_ENVIRONMENT"));
        }
    }

    [Fact]
    public void Every_environment_key_of_our_services_is_documented_in_the_README()
    {
        var documented = ReadmeDocument.ConfigurationKeys();

        var undocumented = _compose.OwnServiceNames
            .SelectMany(service => _compose.Environment(service).Keys.Select(key => $"{service}: {key}"))
            .Where(entry => !documented.Contains(entry[(entry.IndexOf(": ", StringComparison.Ordinal) + 2)..]))
            .ToList();

        Assert.NotEmpty(documented);
        Assert.Empty(undocumented);
    }

    [Fact]
    public void Build_targets_named_in_compose_exist_in_the_Dockerfile()
    {
        var stages = Dockerfile.Load().Select(stage => stage.Name).ToHashSet();

        foreach (var service in _compose.OwnServiceNames)
        {
            var build = ComposeFile.Mapping(_compose.Service(service), "build");
            Assert.Equal("..", ComposeFile.ScalarOrNull(build, "context"));
            Assert.Equal(Dockerfile.RelativePath, ComposeFile.ScalarOrNull(build, "dockerfile"));
            Assert.Contains(BuildTarget(service), stages);
        }
    }

    [Fact]
    public void Health_checks_of_our_services_call_the_probe_installed_in_the_image()
    {
        var installed = Dockerfile.Load()
            .SelectMany(stage => stage.All("COPY"))
            .Select(copy => copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])
            .ToHashSet(StringComparer.Ordinal);

        foreach (var service in _compose.OwnServiceNames)
        {
            if (!_compose.Service(service).Children.TryGetValue("healthcheck", out var node) || node is not YamlMappingNode healthcheck)
            {
                continue;
            }

            if (ComposeFile.ScalarOrNull(healthcheck, "disable") == "true")
            {
                Assert.Equal("migrate", service);
                continue;
            }

            var test = ComposeFile.Strings(healthcheck.Children["test"]);
            Assert.Equal("CMD", test[0]);
            Assert.Contains(test[1], installed);
            Assert.Matches("^/health/(live|ready)$", test[2]);
        }
    }

    private string BuildTarget(string service) =>
        ComposeFile.ScalarOrNull(ComposeFile.Mapping(_compose.Service(service), "build"), "target")
        ?? throw new KeyNotFoundException($"{service} has no build target");

    private string? DependencyCondition(string service, string dependency)
    {
        var dependsOn = ComposeFile.Mapping(_compose.Service(service), "depends_on");
        return dependsOn.Children.TryGetValue(dependency, out var node) && node is YamlMappingNode condition
            ? ComposeFile.ScalarOrNull(condition, "condition")
            : null;
    }
}
