using System.Text.RegularExpressions;

namespace Gnlc.Operations.Tests;

/// <summary>Secrets reach the containers only from the env file, never as text in docker/compose.yaml.</summary>
public sealed partial class ComposeSecretsTests
{
    private readonly ComposeFile _compose = ComposeFile.Load();

    [Fact]
    public void Secret_settings_are_interpolated_from_the_env_file()
    {
        var checkedKeys = 0;
        foreach (var service in _compose.ServiceNames)
        {
            foreach (var (key, value) in _compose.Environment(service))
            {
                if (SecretKey().IsMatch(key))
                {
                    checkedKeys++;
                    Assert.True(WholeInterpolation().IsMatch(value), $"{service}: {key} is '{value}', not a ${{VARIABLE}} from the env file");
                }
            }
        }

        // POSTGRES_PASSWORD of postgres, Auth__SigningKey and Auth__Authority of the api at least.
        Assert.True(checkedKeys >= 3, $"only {checkedKeys} secret settings found");
    }

    [Fact]
    public void The_PostgreSQL_password_is_required_and_never_written_out()
    {
        Assert.Matches(@"^\$\{POSTGRES_PASSWORD:\?[^}]*\}$", _compose.Environment("postgres")["POSTGRES_PASSWORD"]);

        var passwords = ConnectionPassword().Matches(_compose.Text).Select(match => match.Groups[1].Value).ToList();
        Assert.NotEmpty(passwords);
        Assert.All(passwords, password => Assert.StartsWith("${POSTGRES_PASSWORD:?", password, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_variable_the_compose_file_reads_is_in_the_example_env_file()
    {
        var example = File.ReadAllLines(Repository.PathOf("docker/.env.example"))
            .Where(line => !line.StartsWith('#') && line.Contains('=', StringComparison.Ordinal))
            .Select(line => line[..line.IndexOf('=', StringComparison.Ordinal)])
            .ToHashSet(StringComparer.Ordinal);

        var used = Interpolation().Matches(_compose.Text).Select(match => match.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(used);
        Assert.Empty(used.Except(example));
    }

    [Fact]
    public void The_example_env_file_holds_no_usable_signing_key_and_git_ignores_the_real_one()
    {
        var example = File.ReadAllLines(Repository.PathOf("docker/.env.example"));

        // Empty on purpose: a key copied from an example would let anyone who read it sign tokens.
        Assert.Contains("AUTH_SIGNING_KEY=", example);
        Assert.Contains("docker/.env", File.ReadAllLines(Repository.PathOf(".gitignore")));
    }

    [GeneratedRegex("(?i)password|secret|signingkey|authority|token|apikey")]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"^\$\{[A-Z][A-Z0-9_]*(:?[-?][^}]*)?\}$")]
    private static partial Regex WholeInterpolation();

    [GeneratedRegex(@"(?i)\bPassword=([^;""\s]*(\}[^;""\s]*)?)")]
    private static partial Regex ConnectionPassword();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Interpolation();
}
