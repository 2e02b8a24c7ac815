using Gnlc.Silo.Persistence.Postgres;
using Gnlc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gnlc.Cluster.Tests.Infrastructure;

/// <summary>Applies this build's migrations to <paramref name="connectionString"/>, as a silo does on start.</summary>
internal static class Migrations
{
    public static async Task<IReadOnlyList<int>> ApplyAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await new PostgresMigrator(dataSource, NullLogger<PostgresMigrator>.Instance)
            .MigrateAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>A fresh, migrated database for one test class.</summary>
public sealed class MigratedDatabaseFixture(PostgresServer server) : IAsyncLifetime
{
    private string? _connectionString;

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("Created in InitializeAsync.");

    public async ValueTask InitializeAsync()
    {
        _connectionString = await server.CreateDatabaseAsync("cluster");
        await Migrations.ApplyAsync(_connectionString);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>One silo on a fresh database (migrated by the silo's own start-up), for the tests of a class.</summary>
public sealed class SiloFixture(PostgresServer server) : IAsyncLifetime
{
    private PostgresSilo? _silo;
    private ClusterIdentity? _cluster;

    public PostgresSilo Silo => _silo ?? throw new InvalidOperationException("Started in InitializeAsync.");

    public ClusterIdentity Cluster => _cluster ?? throw new InvalidOperationException("Started in InitializeAsync.");

    public async ValueTask InitializeAsync()
    {
        _cluster = ClusterIdentity.New(await server.CreateDatabaseAsync("silo"));
        _silo = await PostgresSilo.StartAsync(_cluster, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
