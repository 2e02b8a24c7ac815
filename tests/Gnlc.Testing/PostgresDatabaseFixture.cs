using Xunit;

namespace Gnlc.Testing;

/// <summary>
/// Gives a test class its own fresh database on the shared <see cref="PostgresServer"/> assembly fixture:
/// declare <c>IClassFixture&lt;PostgresDatabaseFixture&gt;</c> and take it in the constructor.
/// </summary>
public sealed class PostgresDatabaseFixture(PostgresServer server) : IAsyncLifetime
{
    private string? _connectionString;

    public PostgresServer Server => server;

    /// <summary>Superuser connection string for this class's database.</summary>
    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException("The database is created in InitializeAsync.");

    public async ValueTask InitializeAsync() => _connectionString = await server.CreateDatabaseAsync("class");

    // Nothing to drop: the whole server and its data directory are deleted at the end of the run.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
