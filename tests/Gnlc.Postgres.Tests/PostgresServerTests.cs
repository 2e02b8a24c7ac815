using Gnlc.Testing;

namespace Gnlc.Postgres.Tests;

public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task Server_answers_version_query_as_PostgreSQL()
    {
        var version = await Sql.ScalarAsync<string>(server.AdminConnectionString, "SELECT version()");

        Assert.StartsWith("PostgreSQL ", version, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("listen_addresses", "127.0.0.1")]
    [InlineData("fsync", "off")]
    [InlineData("synchronous_commit", "off")]
    [InlineData("full_page_writes", "off")]
    [InlineData("max_connections", "300")]
    public async Task Server_runs_with_loopback_only_test_settings(string setting, string expected)
    {
        var actual = await Sql.ScalarAsync<string>(server.AdminConnectionString, "SHOW " + setting);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Admin_connection_is_a_superuser_on_the_reported_port()
    {
        var isSuperuser = await Sql.ScalarAsync<string>(server.AdminConnectionString, "SHOW is_superuser");
        var port = await Sql.ScalarAsync<string>(server.AdminConnectionString, "SHOW port");

        Assert.Equal("on", isSuperuser);
        Assert.Equal(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), port);
    }

    [Fact]
    public void Bin_directory_holds_the_server_programs()
    {
        Assert.True(File.Exists(Path.Combine(server.BinDirectory, "pg_ctl")), server.BinDirectory);
        Assert.True(File.Exists(Path.Combine(server.BinDirectory, "postgres")), server.BinDirectory);
    }
}
