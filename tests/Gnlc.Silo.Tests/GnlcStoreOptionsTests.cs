using Gnlc.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Gnlc.Silo.Tests;

/// <summary>The store choice and the settings the clustered connection string is given.</summary>
public sealed class GnlcStoreOptionsTests
{
    [Fact]
    public void A_PostgreSQL_connection_string_gets_no_reset_on_close_and_no_automatic_preparation_whatever_it_said()
    {
        var options = GnlcStoreOptions.From(Configuration("Host=db;Database=gnlc;Max Auto Prepare=20;Auto Prepare Min Usages=1"), "/tmp");

        var settings = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Assert.Equal(GnlcStoreKind.Postgres, options.Kind);
        Assert.Equal((0, true), (settings.MaxAutoPrepare, settings.NoResetOnClose));
        Assert.Equal(("db", "gnlc"), (settings.Host, settings.Database));
    }

    [Fact]
    public void Without_a_connection_string_the_store_is_the_embedded_file_under_the_content_root()
    {
        var root = Path.Combine(Path.GetTempPath(), "gnlc-store-options-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = GnlcStoreOptions.From(Configuration(null), root);

            Assert.Equal(GnlcStoreKind.Embedded, options.Kind);
            Assert.Contains($"Data Source={Path.Combine(root, ".gnlc-data", "gnlc.db")};", options.ConnectionString, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static IConfiguration Configuration(string? postgres) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:" + GnlcStoreOptions.ConnectionStringName] = postgres })
            .Build();
}
