using System.Text;

namespace Gnlc.Testing;

/// <summary>Builds unique database names that need no quoting and fit PostgreSQL's 63-byte identifier limit.</summary>
internal static class DatabaseName
{
    // 30 readable characters + "_" + 32 hex digits = 63.
    private const int MaxPrefixLength = 30;

    public static string Create(string? prefix)
    {
        var readable = new StringBuilder();
        foreach (var character in (prefix ?? "").ToLowerInvariant())
        {
            readable.Append(char.IsAsciiLetterOrDigit(character) ? character : '_');
        }

        // A leading digit would need quoting; plain names are easier to read in logs and psql.
        if (readable.Length == 0)
        {
            readable.Append("test");
        }
        else if (char.IsAsciiDigit(readable[0]))
        {
            readable.Insert(0, "db_");
        }

        return readable.ToString(0, Math.Min(readable.Length, MaxPrefixLength)) + "_" + Guid.NewGuid().ToString("N");
    }
}
