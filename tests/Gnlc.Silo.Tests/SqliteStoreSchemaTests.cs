using Gnlc.Silo.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gnlc.Silo.Tests;

/// <summary>
/// The schema and the query texts on their own, called the way Orleans' providers call them (the query text read
/// from <c>OrleansQuery</c>, parameters bound by name): for paths a default silo does not take.
/// </summary>
public sealed class SqliteStoreSchemaTests : IDisposable
{
    private static readonly string[] ExpectedQueryKeys =
    [
        "ClearStorageKey", "DeleteReminderRowKey", "DeleteReminderRowsKey", "DeleteStorageKey", "ReadFromStorageKey",
        "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey", "ReadReminderRowsKey", "UpsertReminderRowKey",
        "WriteToStorageKey",
    ];

    private readonly string _dataDirectory = EmbeddedSilo.NewDataDirectory();

    private string ConnectionString => $"Data Source={Path.Combine(_dataDirectory, "gnlc.db")};Pooling=False";

    public void Dispose() => EmbeddedSilo.DeleteDataDirectory(_dataDirectory);

    [Fact]
    public void Creating_twice_applies_each_version_once_and_turns_on_WAL()
    {
        SqliteStoreSchema.EnsureCreated(ConnectionString);
        SqliteStoreSchema.EnsureCreated(ConnectionString);

        using var connection = Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal([1L, 2L], Column<long>(connection, "SELECT Version FROM gnlc_schema_version ORDER BY Version;"));
        Assert.Equal(2, SqliteStoreSchema.CurrentVersion);
        Assert.Equal(
            ExpectedQueryKeys,
            Column<string>(connection, "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey;"));
    }

    [Fact]
    public void Creating_again_replaces_old_query_texts_and_keeps_the_data()
    {
        SqliteStoreSchema.EnsureCreated(ConnectionString);
        using var connection = Open();
        var current = Scalar(connection, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey';");
        Assert.Equal(1L, WriteState(connection, extension: "kept", version: null, payload: [1]));
        Execute(connection, "UPDATE OrleansQuery SET QueryText = 'SELECT 1;' WHERE QueryKey = 'ReadFromStorageKey';");

        SqliteStoreSchema.EnsureCreated(ConnectionString);

        Assert.Equal(current, Scalar(connection, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey';"));
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM gnlc_grain_state;"));
    }

    [Fact]
    public void A_file_from_a_newer_build_is_refused()
    {
        SqliteStoreSchema.EnsureCreated(ConnectionString);
        using var connection = Open();
        Execute(connection, $"INSERT INTO gnlc_schema_version VALUES ({SqliteStoreSchema.CurrentVersion + 1}, 'future', 'later');");

        Assert.Throws<InvalidOperationException>(() => SqliteStoreSchema.EnsureCreated(ConnectionString));
    }

    [Fact]
    public void A_write_returns_the_new_version_or_nothing_on_a_conflict()
    {
        SqliteStoreSchema.EnsureCreated(ConnectionString);
        using var connection = Open();

        Assert.Equal(1L, WriteState(connection, "k", version: null, payload: [1]));
        Assert.Null(WriteState(connection, "k", version: null, payload: [2]));   // a blind first write
        Assert.Null(WriteState(connection, "k", version: 7, payload: [2]));      // a stale version
        Assert.Equal(2L, WriteState(connection, "k", version: 1, payload: [3]));
        Assert.Null(WriteState(connection, "never-written", version: 1, payload: [4]));
        Assert.Equal(("03", 2L), ReadState(connection, "k"));
    }

    [Fact]
    public void A_missing_key_extension_and_an_empty_one_are_different_rows()
    {
        SqliteStoreSchema.EnsureCreated(ConnectionString);
        using var connection = Open();

        Assert.Equal(1L, WriteState(connection, extension: null, version: null, payload: [1]));
        Assert.Equal(1L, WriteState(connection, extension: "", version: null, payload: [2]));

        Assert.Equal(("01", 1L), ReadState(connection, null));
        Assert.Equal(("02", 1L), ReadState(connection, ""));
    }

    /// <summary>DeleteStorageKey is what a provider with <c>DeleteStateOnClear = true</c> runs instead of a clear.</summary>
    [Fact]
    public void Delete_removes_the_row_only_for_the_current_version_and_a_stale_writer_cannot_recreate_it()
    {
        SqliteStoreSchema.EnsureCreated(ConnectionString);
        using var connection = Open();
        Assert.Equal(1L, WriteState(connection, "k", version: null, payload: [1]));

        Assert.Null(StateCommand(connection, "DeleteStorageKey", "k", version: 5, payload: null));
        Assert.Equal(2L, StateCommand(connection, "DeleteStorageKey", "k", version: 1, payload: null));

        Assert.Null(ReadState(connection, "k"));
        Assert.Null(WriteState(connection, "k", version: 1, payload: [2]));
        Assert.Equal(1L, WriteState(connection, "k", version: null, payload: [3]));
    }

    [Fact]
    public void Deleting_all_reminders_of_a_service_leaves_other_services_alone()
    {
        SqliteStoreSchema.EnsureCreated(ConnectionString);
        using var connection = Open();
        UpsertReminder(connection, "service-a", "one");
        UpsertReminder(connection, "service-a", "two");
        UpsertReminder(connection, "service-b", "one");

        using (var delete = Query(connection, "DeleteReminderRowsKey"))
        {
            delete.Parameters.AddWithValue("ServiceId", "service-a");
            delete.ExecuteNonQuery();
        }

        Assert.Equal(["service-b"], Column<string>(connection, "SELECT ServiceId FROM gnlc_reminder;"));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>A command holding the stored query text, as the providers build it.</summary>
    private static SqliteCommand Query(SqliteConnection connection, string queryKey)
    {
        var command = connection.CreateCommand();
        command.CommandText = (string)Scalar(connection, $"SELECT QueryText FROM OrleansQuery WHERE QueryKey = '{queryKey}';")!;
        return command;
    }

    private static long? WriteState(SqliteConnection connection, string? extension, int? version, byte[] payload) =>
        StateCommand(connection, "WriteToStorageKey", extension, version, payload);

    /// <summary>Runs a grain storage query with the parameters AdoNetGrainStorage binds; the first column or null.</summary>
    private static long? StateCommand(SqliteConnection connection, string queryKey, string? extension, int? version, byte[]? payload)
    {
        using var command = Query(connection, queryKey);
        BindGrain(command, extension);
        command.Parameters.AddWithValue("GrainStateVersion", (object?)version ?? DBNull.Value);
        command.Parameters.AddWithValue("PayloadBinary", (object?)payload ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetInt64(0) : null;
    }

    /// <summary>The stored payload (as hex) and version, or null when there is no row.</summary>
    private static (string Payload, long Version)? ReadState(SqliteConnection connection, string? extension)
    {
        using var command = Query(connection, "ReadFromStorageKey");
        BindGrain(command, extension);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return (Convert.ToHexString((byte[])reader["PayloadBinary"]), reader.GetInt64(reader.GetOrdinal("Version")));
    }

    private static void BindGrain(SqliteCommand command, string? extension)
    {
        command.Parameters.AddWithValue("ServiceId", "service");
        command.Parameters.AddWithValue("GrainTypeString", "state");
        command.Parameters.AddWithValue("GrainTypeHash", 11);
        command.Parameters.AddWithValue("GrainIdHash", 22);
        command.Parameters.AddWithValue("GrainIdN0", 0L);
        command.Parameters.AddWithValue("GrainIdN1", 0L);
        command.Parameters.AddWithValue("GrainIdExtensionString", (object?)extension ?? DBNull.Value);
    }

    private static void UpsertReminder(SqliteConnection connection, string serviceId, string name)
    {
        using var command = Query(connection, "UpsertReminderRowKey");
        command.Parameters.AddWithValue("ServiceId", serviceId);
        command.Parameters.AddWithValue("GrainId", "probe/key");
        command.Parameters.AddWithValue("ReminderName", name);
        command.Parameters.AddWithValue("StartTime", DateTime.UtcNow);
        command.Parameters.AddWithValue("Period", 60_000);
        command.Parameters.AddWithValue("GrainHash", 42);
        Assert.Equal(0L, command.ExecuteScalar());
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<T> Column<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<T>();
        while (reader.Read())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }
}
