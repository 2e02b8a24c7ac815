using Gnlc.Testing;

namespace Gnlc.Postgres.Tests;

public sealed class PostgresDatabaseFixtureTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task The_class_gets_its_own_empty_database_on_the_shared_server()
    {
        var name = await Sql.ScalarAsync<string>(database.ConnectionString, "SELECT current_database()");
        var userTables = await Sql.ScalarAsync<long>(
            database.ConnectionString, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'");
        var port = await Sql.ScalarAsync<string>(database.ConnectionString, "SHOW port");

        Assert.NotEqual("postgres", name);
        Assert.Equal(0, userTables);
        Assert.Equal(database.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), port);
    }
}
