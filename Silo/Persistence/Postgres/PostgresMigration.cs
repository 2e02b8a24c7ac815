using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Gnlc.Silo.Persistence.Postgres;

/// <summary>One versioned SQL file from <c>Persistence/Postgres/Migrations</c>, embedded in this assembly.</summary>
/// <param name="Version">The number the file name starts with (<c>0001_orleans.sql</c> is version 1).</param>
/// <param name="Name">The file name, recorded with the version for people reading the database.</param>
/// <param name="Sql">The script, run as one transaction.</param>
/// <param name="Checksum">SHA-256 of the script (line endings normalised), to detect an applied file edited later.</param>
public sealed partial record PostgresMigration(int Version, string Name, string Sql, string Checksum)
{
    private const string ResourcePrefix = "Gnlc.Silo.Persistence.Postgres.Migrations.";

    /// <summary>Every embedded migration, ordered by version.</summary>
    /// <exception cref="InvalidOperationException">A file name lacks a version, or two files share one.</exception>
    public static IReadOnlyList<PostgresMigration> LoadEmbedded()
    {
        var assembly = typeof(PostgresMigration).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Load(assembly, name))
            .OrderBy(migration => migration.Version)
            .ToList();

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Migrations {string.Join(", ", duplicate.Select(m => m.Name))} share version {duplicate.Key}.");
        }

        return migrations;
    }

    private static PostgresMigration Load(Assembly assembly, string resourceName)
    {
        var fileName = resourceName[ResourcePrefix.Length..];
        var match = VersionPattern().Match(fileName);
        if (!match.Success)
        {
            throw new InvalidOperationException($"Migration '{fileName}' must be named NNNN_description.sql.");
        }

        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded migration '{resourceName}' cannot be read.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // A checkout with CRLF line endings must not look like an edited migration.
        var sql = reader.ReadToEnd().ReplaceLineEndings("\n");
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
        return new PostgresMigration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), fileName, sql, checksum);
    }

    [GeneratedRegex(@"^(\d{4})_[a-z0-9_]+\.sql$")]
    private static partial Regex VersionPattern();
}
