namespace Gnlc.Silo.Persistence.Sqlite;

/// <summary>Creates the embedded store's schema and query texts (filled in by the storage work).</summary>
public static class SqliteStoreSchema
{
    public static void EnsureCreated(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
    }
}
