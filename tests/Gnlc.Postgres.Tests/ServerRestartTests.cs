using Gnlc.Testing;
using Npgsql;

namespace Gnlc.Postgres.Tests;

/// <summary>Stopping the shared server would break tests running alongside, so this collection runs on its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerOutages
{
    public const string Name = "PostgreSQL outage";
}

[Collection(ServerOutages.Name)]
public sealed class ServerRestartTests(PostgresServer server)
{
    [Fact]
    public async Task Data_survives_a_stop_and_start_on_the_same_port_and_connecting_in_between_fails()
    {
        var database = await server.CreateDatabaseAsync(nameof(ServerRestartTests));
        await Sql.ExecuteAsync(database, "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept')");
        var portBefore = server.Port;

        await server.StopAsync();
        try
        {
            // A fresh connection is refused; a pooled one (as the code under test holds) breaks on first use.
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => Sql.ScalarAsync<int>(Sql.Unpooled(database), "SELECT 1"));
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => Sql.ScalarAsync<int>(database, "SELECT 1"));
        }
        finally
        {
            // Restart even if the assertions fail, so later tests still find a server.
            await server.StartAsync();
        }

        // Unpooled: the pool may still hold connectors from before the outage.
        var body = await Sql.ScalarAsync<string>(Sql.Unpooled(database), "SELECT body FROM notes");
        Assert.Equal("kept", body);
        Assert.Equal(portBefore, server.Port);
    }

    [Fact]
    public async Task Stopping_twice_is_reported_rather_than_ignored()
    {
        await server.StopAsync();
        try
        {
            await Assert.ThrowsAsync<InvalidOperationException>(server.StopAsync);
        }
        finally
        {
            await server.StartAsync();
        }

        Assert.Equal(1, await Sql.ScalarAsync<int>(Sql.Unpooled(server.AdminConnectionString), "SELECT 1"));
    }
}
