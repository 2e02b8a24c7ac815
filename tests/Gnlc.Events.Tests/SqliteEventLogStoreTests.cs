using Gnlc.Silo.Events;
using Gnlc.Silo.Persistence.Sqlite;

namespace Gnlc.Events.Tests;

/// <summary>The event log in the embedded store: a fresh SQLite file (schema version 2) per test.</summary>
public sealed class SqliteEventLogStoreTests : EventLogStoreContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gnlc-events-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    protected override Task<IEventLogStore> CreateStoreAsync(TimeProvider time)
    {
        // As the embedded default opens it (GnlcStoreOptions): pooled, with a busy timeout for concurrent writers.
        var connectionString = $"Data Source={Path.Combine(_directory, "gnlc.db")};Default Timeout=30;Pooling=True";
        SqliteStoreSchema.EnsureCreated(connectionString);
        return Task.FromResult<IEventLogStore>(new SqliteEventLogStore(connectionString, time));
    }
}
