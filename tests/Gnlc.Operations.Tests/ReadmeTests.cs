using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Gnlc.Api.Auth;
using Gnlc.Api.Events;
using Gnlc.Api.Hosting;
using Gnlc.Silo.Demo;
using Gnlc.Silo.Events;
using Gnlc.Silo.Hosting;
using Gnlc.Silo.Telemetry;

namespace Gnlc.Operations.Tests;

/// <summary>The README's Operations section documents what the code reads, with the code's defaults.</summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void Quick_start_is_exactly_the_two_commands()
    {
        var blocks = ReadmeDocument.CodeBlocks(ReadmeDocument.Section("## Quick start"));

        Assert.Equal(["dotnet run --project Api", "./scripts/test.sh"], blocks);
    }

    [Fact]
    public void Operations_covers_what_an_operator_does()
    {
        var operations = ReadmeDocument.Section("## Operations");

        foreach (var heading in new[]
        {
            "### Topology", "### Configuration", "### Running with compose", "### Scaling out and in",
            "### Schema migrations", "### Backups", "### Upgrading the cluster",
        })
        {
            Assert.Contains("\n" + heading + "\n", "\n" + operations + "\n", StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_key_the_code_reads_is_in_the_configuration_table()
    {
        var documented = ReadmeDocument.ConfigurationKeys();

        var missing = KeysReadByTheCode().Keys.Where(key => !documented.Contains(key)).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Defaults_in_the_configuration_table_are_the_code_defaults()
    {
        foreach (var (key, value) in KeysReadByTheCode())
        {
            var documented = ReadmeDocument.DefaultOf(key);
            if (value is null)
            {
                Assert.StartsWith("unset", documented, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(documented.Contains($"`{value}`", StringComparison.Ordinal), $"{key}: README says '{documented}', the code default is {value}");
            }
        }
    }

    [Fact]
    public void Backups_name_every_table_the_migrations_create()
    {
        var backups = ReadmeDocument.Section("### Backups", ReadmeDocument.Section("## Operations"));
        var tables = Directory.GetFiles(Repository.PathOf("Silo/Persistence/Postgres/Migrations"), "*.sql")
            .SelectMany(file => CreateTable().Matches(File.ReadAllText(file)).Select(match => match.Groups[1].Value))
            .Append("gnlc_schema_version")
            .ToList();

        Assert.True(tables.Count >= 6, string.Join(", ", tables));
        Assert.All(tables, table => Assert.Contains($"`{table}`", backups, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Environment-form keys with their code defaults (null: unset), from the options classes and key constants.</summary>
    private static Dictionary<string, string?> KeysReadByTheCode()
    {
        var keys = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__" + GnlcStoreOptions.ConnectionStringName] = null,
            [EnvironmentForm(GnlcStoreOptions.EmbeddedDataDirectoryKey)] = null,
            [EnvironmentForm(RateLimiting.SectionName) + "__PermitLimit"] = "600",
            [EnvironmentForm(RateLimiting.SectionName) + "__WindowSeconds"] = "10",
        };
        // Demo data: on in the embedded default, off in clustered mode, so its default is a sentence, not a value.
        keys[EnvironmentForm(DemoData.EnabledKey)] = "true";
        keys[EnvironmentForm(GnlcServiceDefaults.TracingKey)] = "auto";
        AddOptions(keys, EventLogOptions.SectionName, new EventLogOptions());
        AddOptions(keys, EventFeedOptions.SectionName, new EventFeedOptions());
        AddOptions(keys, AuthSettings.SectionName, new AuthSettings());
        return keys;
    }

    private static void AddOptions(Dictionary<string, string?> keys, string section, object defaults)
    {
        foreach (var property in defaults.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            keys[EnvironmentForm(section) + "__" + property.Name] = property.GetValue(defaults) switch
            {
                null => null,
                TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString(),
            };
        }
    }

    private static string EnvironmentForm(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    [GeneratedRegex(@"(?i)CREATE TABLE IF NOT EXISTS\s+(\w+)")]
    private static partial Regex CreateTable();
}
