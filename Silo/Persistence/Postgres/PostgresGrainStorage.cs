using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Gnlc.Silo.Persistence.Postgres;

/// <summary>
/// Grain state on PostgreSQL in the <c>orleans_storage</c> table of migration 0001, read and written by the same
/// rules as Orleans' ADO.NET provider behind <see cref="ExactKeyGrainStorage"/>, so existing rows keep working: one
/// row per state name and whole grain id text, an integer version as the ETag, a write with no ETag inserts only, a
/// write with a stale ETag (or to a row that is gone) is an <see cref="InconsistentStateException"/>, and a clear keeps
/// the row with no payload and a new version.
/// </summary>
/// <remarks>
/// Why not the stock provider: per write it builds a command from named parameters (which Npgsql rewrites on every
/// call), hashes the grain id and type it never stores, and opens a connection through a provider factory. Here each
/// read is one prepared statement with positional parameters on the shared data source, and each write or clear is one
/// such statement in a group commit (<see cref="PostgresStateWriteQueue"/>): the writes that arrive while one batch is
/// in flight share the next round trip and commit, and each returns once that commit is durable.
/// </remarks>
internal sealed class PostgresGrainStorage(NpgsqlDataSource dataSource, string serviceId, IGrainStorageSerializer serializer, IActivatorProvider activators)
    : IGrainStorage
{
    private readonly PostgresStateWriteQueue _writes = new(dataSource);

    // The key columns as ExactKeyGrainStorage made the stock provider store them: the state name, no integer or Guid
    // key (0, 0), and the whole grain id text as the extension.
    private const string Key =
        "service_id = $1 AND grain_type = $2 AND grain_id_n0 = 0 AND grain_id_n1 = 0 AND grain_id_extension = $3 AND has_extension = true";

    private const string ReadSql = "SELECT payload, version FROM orleans_storage WHERE " + Key;

    // No ETag: the state was never seen stored. Insert only; the primary key turns a racing second insert into no row.
    private const string InsertSql =
        """
        INSERT INTO orleans_storage (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension, has_extension, payload, version)
        VALUES ($1, $2, 0, 0, $3, true, $4, 1)
        ON CONFLICT ON CONSTRAINT orleans_storage_pkey DO NOTHING
        RETURNING version
        """;

    private const string UpdateSql =
        "UPDATE orleans_storage SET payload = $4, version = version + 1, modified_on = now() WHERE " + Key + " AND version = $5 RETURNING version";

    // A clear keeps the row and its version sequence, so that an older ETag can never match again.
    private const string ClearSql =
        "UPDATE orleans_storage SET payload = NULL, version = version + 1, modified_on = now() WHERE " + Key + " AND version = $4 RETURNING version";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await using var command = new NpgsqlBatch { BatchCommands = { KeyedBatchCommand(ReadSql, stateName, ExactKeyGrainStorage.StorageKey(grainId)) } };
        await using var reader = await dataSource.ExecutePreparedAsync(command, System.Data.CommandBehavior.SingleRow, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            grainState.State = activators.GetActivator<T>().Create();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        // A cleared row (no payload) keeps its version: the next write must present it.
        var payload = await reader.IsDBNullAsync(0, cancellationToken) ? null : reader.GetFieldValue<byte[]>(0);
        var version = reader.GetInt32(1);
        grainState.State = payload is null ? activators.GetActivator<T>().Create() : serializer.Deserialize<T>(new BinaryData(payload));
        grainState.ETag = ETag(version);
        grainState.RecordExists = payload is not null;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var expected = ExpectedVersion(grainState.ETag);
        // The serializer's buffer is sent as it is: no copy of the state into another array.
        var payload = serializer.Serialize(grainState.State).ToMemory();
        var key = ExactKeyGrainStorage.StorageKey(grainId);
        var stored = await _writes.WriteAsync(stateName, key, () =>
            {
                var command = KeyedBatchCommand(expected is null ? InsertSql : UpdateSql, stateName, key);
                command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = payload, NpgsqlDbType = NpgsqlDbType.Bytea });
                if (expected is { } version)
                {
                    command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                }

                return command;
            }, cancellationToken)
            ?? throw Conflict("WriteState", stateName, grainId, grainState.ETag);
        grainState.ETag = ETag(stored);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        // As the stock provider: a state not known to exist is read first, and there is nothing to clear if it is absent.
        if (!grainState.RecordExists)
        {
            await ReadStateAsync(stateName, grainId, grainState, cancellationToken);
            if (!grainState.RecordExists)
            {
                return;
            }
        }

        var expected = ExpectedVersion(grainState.ETag);
        var key = ExactKeyGrainStorage.StorageKey(grainId);
        var stored = await _writes.WriteAsync(stateName, key, () =>
            {
                var command = KeyedBatchCommand(ClearSql, stateName, key);
                command.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = expected, NpgsqlDbType = NpgsqlDbType.Integer });
                return command;
            }, cancellationToken)
            ?? throw Conflict("ClearState", stateName, grainId, grainState.ETag);
        grainState.ETag = ETag(stored);
        grainState.RecordExists = false;
        grainState.State = activators.GetActivator<T>().Create();
    }

    private NpgsqlBatchCommand KeyedBatchCommand(string sql, string stateName, string key)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return command;
    }

    private static int? ExpectedVersion(string? etag) =>
        string.IsNullOrWhiteSpace(etag) ? null : int.Parse(etag, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static string ETag(int version) => version.ToString(CultureInfo.InvariantCulture);

    private InconsistentStateException Conflict(string operation, string stateName, GrainId grainId, string? etag) =>
        new($"Version conflict ({operation}): ServiceId={serviceId} GrainType={stateName} GrainId={grainId} ETag={etag}.");
}
