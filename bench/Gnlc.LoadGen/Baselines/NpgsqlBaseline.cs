using System.Globalization;
using Gnlc.LoadGen.Measurement;
using Npgsql;
using NpgsqlTypes;

namespace Gnlc.LoadGen.Baselines;

/// <summary>
/// The write ceiling: raw Npgsql single-row upserts (<c>INSERT ... ON CONFLICT DO UPDATE</c>, one autocommitted
/// statement each) of a <c>bytea</c> payload the size of a stored city state, at the writes' concurrency, on the
/// same PostgreSQL server. Pooled and auto-prepared: the best a grain storage provider could do per commit.
/// </summary>
internal static class NpgsqlBaseline
{
    private const string Table = "bench_upsert";
    private const int Rows = 10_000;

    /// <summary>The <c>npgsql</c> command: measures the baseline on its own (the system runs measure it themselves).</summary>
    public static async Task<int> RunAsync(Cli cli)
    {
        var connectionString = cli.Required("connection");
        var concurrency = cli.Int("concurrency", 32);
        var payloadBytes = cli.Int("payload-bytes", 512);
        var length = RunLength.Timed(cli.Seconds("warmup", 3), cli.Seconds("duration", 10));
        var results = cli.Text("results");
        var mode = cli.Text("mode") ?? "baseline";
        cli.EnsureAllRead();
        ResultStore.Append(results, await MeasureAsync(connectionString, concurrency, payloadBytes, length, mode, CancellationToken.None));
        return 0;
    }

    /// <summary>The average stored payload of the city grains in a clustered store (<c>orleans_storage</c>), if any.</summary>
    public static async Task<int?> CityPayloadBytesAsync(string storeConnectionString, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(storeConnectionString);
        await using var command = dataSource.CreateCommand(
            "SELECT round(avg(octet_length(payload)))::int FROM orleans_storage WHERE grain_type ILIKE '%city%' AND payload IS NOT NULL");
        return await command.ExecuteScalarAsync(cancellationToken) is int bytes and > 0 ? bytes : null;
    }

    public static async Task<WorkloadResult> MeasureAsync(
        string connectionString, int concurrency, int payloadBytes, RunLength length, string mode, CancellationToken cancellationToken, CpuPerOperation? cpu = null)
    {
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxPoolSize = concurrency + 4,
            MaxAutoPrepare = 8,
            AutoPrepareMinUsages = 1,
        }.ConnectionString);
        await using var dataSource = builder.Build();
        await using (var setup = dataSource.CreateCommand(
            $"""
            DROP TABLE IF EXISTS {Table};
            CREATE TABLE {Table} (id text PRIMARY KEY, version bigint NOT NULL, payload bytea NOT NULL, modified timestamptz NOT NULL);
            INSERT INTO {Table} SELECT 'city-' || i, 1, decode(repeat('00', {payloadBytes}), 'hex'), now() FROM generate_series(0, {Rows - 1}) i;
            ANALYZE {Table};
            """))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        // Random bytes: incompressible, like a serialized state is to PostgreSQL's compression.
        var payload = new byte[payloadBytes];
        Random.Shared.NextBytes(payload);
        var sql = $"""
            INSERT INTO {Table} (id, version, payload, modified) VALUES ($1, 1, $2, now())
            ON CONFLICT (id) DO UPDATE SET version = {Table}.version + 1, payload = excluded.payload, modified = excluded.modified
            """;
        var outcome = await LoadRunner.RunAsync(concurrency, length, async (_, ct) =>
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "city-" + Random.Shared.Next(Rows).ToString(CultureInfo.InvariantCulture) });
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload, NpgsqlDbType = NpgsqlDbType.Bytea });
            return await command.ExecuteNonQueryAsync(ct) == 1 ? null : "no row";
        }, cancellationToken, cpu is null ? null : cpu.Start);

        var name = string.Create(CultureInfo.InvariantCulture, $"{WorkloadNames.NpgsqlBaselinePrefix} ({payloadBytes} B bytea, autocommit)");
        var result = (WorkloadResult.From(mode, name, concurrency, outcome) with { BaselineKey = BaselineKeys.Npgsql })
            .WithFigure(FigureNames.PayloadBytes, payloadBytes);
        return cpu is null ? result : result.WithNote(cpu.Note(outcome.Latency.Count));
    }
}
