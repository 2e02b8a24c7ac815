using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Gnlc.Silo.Hosting;

/// <summary>Which durable store the cluster runs on: the choice is configuration, not a code fork.</summary>
public enum GnlcStoreKind
{
    /// <summary>One process, localhost clustering, a SQLite file: no database server to install.</summary>
    Embedded,

    /// <summary>A cluster of silos on PostgreSQL (<c>ConnectionStrings:Gnlc</c> set).</summary>
    Postgres,
}

/// <summary>Reads the store settings from configuration.</summary>
public sealed record GnlcStoreOptions(GnlcStoreKind Kind, string ConnectionString)
{
    /// <summary>Connection string name that selects clustered mode.</summary>
    public const string ConnectionStringName = "Gnlc";

    /// <summary>Configuration key for the embedded store's folder (default <c>.gnlc-data</c> under the content root).</summary>
    public const string EmbeddedDataDirectoryKey = "Gnlc:Embedded:DataDirectory";

    public static GnlcStoreOptions From(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var postgres = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            return new GnlcStoreOptions(GnlcStoreKind.Postgres, WithConnectionSettings(postgres));
        }

        var directory = configuration[EmbeddedDataDirectoryKey];
        directory = string.IsNullOrWhiteSpace(directory)
            ? Path.Combine(contentRoot, ".gnlc-data")
            : Path.GetFullPath(directory, contentRoot);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "gnlc.db");
        // A busy timeout lets concurrent grain writes queue on SQLite's single writer instead of failing.
        return new GnlcStoreOptions(GnlcStoreKind.Embedded, $"Data Source={file};Default Timeout=30;Pooling=True");
    }

    /// <summary>
    /// Sets <c>No Reset On Close</c>: otherwise a pooled connection is reset on every return to the pool, and PostgreSQL
    /// runs a reset batch (RESET ALL, CLOSE ALL, UNLISTEN *, advisory unlocks, DISCARD ...) in front of the next command,
    /// for every grain read and write. None of our code leaves session state behind: every lock is transaction-scoped,
    /// and nothing SETs, LISTENs or creates temporary tables.
    /// </summary>
    /// <remarks>
    /// Also turns Npgsql's automatic preparation off, whatever the connection string says: a statement refused at bind
    /// time on the run that auto-prepares it leaves the connection's prepared statements out of step with the server
    /// (Npgsql 10.0.3), and a later command on it fails or runs under another statement's plan. Our hot statements are
    /// prepared explicitly instead (<see cref="Persistence.Postgres.PreparedExecution"/>).
    /// </remarks>
    public static string WithConnectionSettings(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true, MaxAutoPrepare = 0 };
        return builder.ConnectionString;
    }
}
