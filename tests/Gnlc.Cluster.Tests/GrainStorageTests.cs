using Gnlc.Cluster.Tests.Infrastructure;
using Gnlc.Silo.Hosting;
using Gnlc.Silo.Persistence.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Gnlc.Cluster.Tests;

/// <summary>
/// The ADO.NET grain storage contract on our schema, through the storage a real silo configures ("gnlc"), and where
/// noted through the stock provider alone. Every test uses its own state name, so it only ever sees its own rows.
/// </summary>
public sealed class GrainStorageTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private static readonly GrainType ProbeType = GrainType.Create("gnlc-storage-probe");

    private readonly string _stateName = "state-" + Guid.NewGuid().ToString("N")[..12];

    private IGrainStorage Storage => fixture.Silo.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.GrainStorage);

    [Fact]
    public async Task A_new_grain_reads_as_absent_and_every_write_moves_its_version()
    {
        var grain = GrainId.Create(ProbeType, "new-grain");

        var state = await ReadAsync(Storage, grain);
        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);

        var etags = new List<string?>();
        foreach (var text in new[] { "one", "two" })
        {
            etags.Add((await WriteAsync(Storage, grain, state, text)).ETag);
        }

        var stored = await ReadAsync(Storage, grain);
        Assert.Equal(["1", "2"], etags);
        Assert.True(stored.RecordExists);
        Assert.Equal("2", stored.ETag);
        Assert.Equal("two", stored.State?.Text);
    }

    [Fact]
    public async Task A_stale_write_fails_with_InconsistentStateException_and_the_newer_state_stays()
    {
        var grain = GrainId.Create(ProbeType, "contended");
        await WriteAsync(Storage, grain, await ReadAsync(Storage, grain), "original");
        var mine = await ReadAsync(Storage, grain);
        var theirs = await ReadAsync(Storage, grain);

        await WriteAsync(Storage, grain, theirs, "theirs");
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(Storage, grain, mine, "mine"));

        var stored = await ReadAsync(Storage, grain);
        Assert.Equal("theirs", stored.State?.Text);
        Assert.Equal("2", stored.ETag);
    }

    [Fact]
    public async Task Racing_first_writes_of_a_grain_leave_one_winner_and_one_row()
    {
        // Two activations of one new grain (a split brain) both write with no ETag: the primary key decides.
        var grains = Enumerable.Range(0, 10).Select(i => GrainId.Create(ProbeType, $"race-{i}")).ToList();

        var outcomes = await Task.WhenAll(grains.SelectMany(grain => new[] { "a", "b" }.Select(async writer =>
        {
            try
            {
                await WriteAsync(Storage, grain, new GrainState<TextState>(), writer);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        })));

        Assert.Equal(grains.Count, outcomes.Count(won => won));
        Assert.Equal(grains.Count, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task Clear_keeps_the_row_without_payload_and_older_etags_can_no_longer_write()
    {
        var grain = GrainId.Create(ProbeType, "cleared");
        var written = await WriteAsync(Storage, grain, await ReadAsync(Storage, grain), "doomed");
        var stale = await ReadAsync(Storage, grain);

        var cleared = await ReadAsync(Storage, grain);
        await Storage.ClearStateAsync(_stateName, grain, cleared);
        var afterClear = await ReadAsync(Storage, grain);

        Assert.Equal("1", written.ETag);
        Assert.False(cleared.RecordExists);
        Assert.Equal("2", cleared.ETag);
        Assert.False(afterClear.RecordExists);
        Assert.Null(afterClear.State?.Text);
        Assert.Equal("2", afterClear.ETag);
        var row = Assert.Single(await RowsAsync());
        Assert.Null(row["payload"]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(Storage, grain, stale, "zombie"));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(_stateName, grain, stale));
        Assert.Equal("3", (await WriteAsync(Storage, grain, afterClear, "reborn")).ETag);
    }

    [Fact]
    public async Task Each_grain_has_one_row_and_the_database_enforces_the_key()
    {
        var grains = Enumerable.Range(0, 5).Select(i => GrainId.Create(ProbeType, $"row-{i}")).ToList();
        foreach (var grain in grains)
        {
            var state = await WriteAsync(Storage, grain, await ReadAsync(Storage, grain), "v1");
            await WriteAsync(Storage, grain, state, "v2");
        }

        var rows = await RowsAsync();
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(
            fixture.Cluster.ConnectionString,
            """
            INSERT INTO orleans_storage (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension, has_extension, version)
            SELECT service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension, has_extension, 1
            FROM orleans_storage WHERE service_id = @service AND grain_type = @type LIMIT 1
            """,
            ("service", fixture.Cluster.ServiceId),
            ("type", _stateName)));

        Assert.Equal(grains.Count, rows.Count);
        Assert.All(rows, row => Assert.Equal(2, row["version"]));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
    }

    [Fact]
    public async Task Look_alike_string_keys_share_one_row_in_the_stock_provider_which_no_schema_can_prevent()
    {
        // ORLEANS-FACTS #9706: the stock provider parses "DE" and "de" as the hexadecimal integer 0xDE, and "2025" and
        // "02025" as 0x2025, and sends the SQL the very same parameters for both keys of a pair.
        var stock = await StockAdoNetStorage.CreateAsync(fixture.Silo);
        await WriteAsync(stock, GrainId.Create(ProbeType, "DE"), new GrainState<TextState>(), "Germany");
        await WriteAsync(stock, GrainId.Create(ProbeType, "2025"), new GrainState<TextState>(), "period 2025");

        var lowerCase = await ReadAsync(stock, GrainId.Create(ProbeType, "de"));
        var leadingZero = await ReadAsync(stock, GrainId.Create(ProbeType, "02025"));
        var rows = await RowsAsync();

        Assert.Equal("Germany", lowerCase.State?.Text);
        Assert.Equal("period 2025", leadingZero.State?.Text);
        Assert.Equal(
            [(0xDEL, false), (0x2025L, false)],
            rows.Select(r => ((long)r["grain_id_n1"]!, (bool)r["has_extension"]!)).Order());
    }

    [Fact]
    public async Task Look_alike_string_keys_get_rows_of_their_own_through_the_silos_storage()
    {
        // Our hosting wraps the provider (ExactKeyGrainStorage) so that it stores the whole grain id as text.
        var keys = new[] { "DE", "de", "2025", "02025" };
        foreach (var key in keys)
        {
            await WriteAsync(Storage, GrainId.Create(ProbeType, key), new GrainState<TextState>(), $"value of {key}");
        }

        var read = await Task.WhenAll(keys.Select(key => ReadAsync(Storage, GrainId.Create(ProbeType, key))));
        var rows = await RowsAsync();

        Assert.Equal(keys.Select(key => $"value of {key}"), read.Select(state => state.State?.Text));
        Assert.Equal(
            keys.Select(key => $"{ProbeType}/{key}").Order(StringComparer.Ordinal),
            rows.Select(r => (string)r["grain_id_extension"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Integer_keys_with_no_empty_and_named_extensions_are_three_grains()
    {
        // The provider sends a missing extension as NULL and an empty one as ''; has_extension keeps them apart.
        var stock = await StockAdoNetStorage.CreateAsync(fixture.Silo);
        var keys = new[] { "5", "5+", "5+x" };
        foreach (var key in keys)
        {
            await WriteAsync(stock, GrainId.Create(ProbeType, key), new GrainState<TextState>(), key);
        }

        var read = await Task.WhenAll(keys.Select(key => ReadAsync(stock, GrainId.Create(ProbeType, key))));
        var rows = await RowsAsync();

        Assert.Equal(keys, read.Select(state => state.State?.Text));
        Assert.Equal(
            [(5L, "", false), (5L, "", true), (5L, "x", true)],
            rows.Select(r => ((long)r["grain_id_n1"]!, (string)r["grain_id_extension"]!, (bool)r["has_extension"]!)).Order());
    }

    [Fact]
    public async Task Delete_on_clear_removes_the_row_only_for_the_current_etag()
    {
        var stock = await StockAdoNetStorage.CreateAsync(fixture.Silo, deleteStateOnClear: true);
        var grain = GrainId.Create(ProbeType, "deleted");
        var state = await WriteAsync(stock, grain, new GrainState<TextState>(), "short-lived");
        var stale = new GrainState<TextState>(new TextState(), "0") { RecordExists = true };

        await Assert.ThrowsAsync<InconsistentStateException>(() => stock.ClearStateAsync(_stateName, grain, stale));
        await stock.ClearStateAsync(_stateName, grain, state);
        var rowsAfterDelete = await RowsAsync();
        var recreated = await WriteAsync(stock, grain, await ReadAsync(stock, grain), "again");

        // The provider forgets the ETag of a deleted state, so the next write inserts afresh.
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Empty(rowsAfterDelete);
        Assert.Equal("1", recreated.ETag);
    }

    [Fact]
    public async Task A_write_with_an_etag_for_a_row_that_does_not_exist_is_a_conflict_not_an_insert()
    {
        var grain = GrainId.Create(ProbeType, "never-stored");
        var believed = new GrainState<TextState>(new TextState(), "7") { RecordExists = true };

        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(Storage, grain, believed, "ghost"));

        Assert.Empty(await RowsAsync());
        Assert.Equal("7", believed.ETag);
    }

    [Fact]
    public async Task A_write_without_an_etag_over_a_stored_row_is_a_conflict_and_leaves_the_row()
    {
        // A second activation that never read the state (no ETag) must not overwrite the first one's.
        var grain = GrainId.Create(ProbeType, "first-wins");
        await WriteAsync(Storage, grain, new GrainState<TextState>(), "first");

        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(Storage, grain, new GrainState<TextState>(), "second"));

        var stored = await ReadAsync(Storage, grain);
        Assert.Equal("first", stored.State?.Text);
        Assert.Equal("1", stored.ETag);
    }

    [Fact]
    public async Task Concurrent_writes_with_one_etag_leave_exactly_one_winner()
    {
        var grain = GrainId.Create(ProbeType, "contended-many");
        var read = await WriteAsync(Storage, grain, new GrainState<TextState>(), "start");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await WriteAsync(Storage, grain, new GrainState<TextState>(new TextState(), read.ETag) { RecordExists = true }, $"writer {i}");
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        var stored = await ReadAsync(Storage, grain);
        Assert.Equal(1, outcomes.Count(won => won));
        Assert.Equal("2", stored.ETag);
        Assert.StartsWith("writer ", stored.State?.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_writes_of_many_grains_each_get_their_own_outcome_when_one_etag_is_stale()
    {
        // Writes that arrive together share one batch and one commit (PostgresStateWriteQueue); a stale ETag among them
        // fails that write alone.
        var grains = Enumerable.Range(0, 24).Select(i => GrainId.Create(ProbeType, $"batched-{i}")).ToList();
        var states = new List<GrainState<TextState>>();
        foreach (var grain in grains)
        {
            states.Add(await WriteAsync(Storage, grain, new GrainState<TextState>(), "v1"));
        }

        var stale = grains[^1];
        var staleState = new GrainState<TextState>(new TextState(), states[^1].ETag) { RecordExists = true };
        await WriteAsync(Storage, stale, states[^1], "moved on");

        var outcomes = await Task.WhenAll(grains.Select((grain, i) => OutcomeAsync(
            WriteAsync(Storage, grain, grain == stale ? staleState : states[i], grain == stale ? "stale" : "v2"))));
        var stored = await Task.WhenAll(grains.Select(grain => ReadAsync(Storage, grain)));

        Assert.Equal([.. Enumerable.Repeat("written", grains.Count - 1), nameof(InconsistentStateException)], outcomes);
        Assert.Equal([.. Enumerable.Repeat(("v2", "2"), grains.Count - 1), ("moved on", "2")], stored.Select(s => (s.State?.Text, s.ETag)));
    }

    [Fact]
    public async Task A_write_the_database_refuses_fails_alone_and_the_writes_sent_with_it_are_stored()
    {
        // PostgreSQL text cannot hold a NUL character, so this key's statement errors and rolls back the batch it is in;
        // the others are then written one by one.
        var grains = Enumerable.Range(0, 24).Select(i => GrainId.Create(ProbeType, $"batch-mate-{i}")).ToList();
        var refused = GrainId.Create(ProbeType, "refused\0key");

        var outcomes = await Task.WhenAll(grains.Append(refused).Select(grain => OutcomeAsync(
            WriteAsync(Storage, grain, new GrainState<TextState>(), "v1"))));
        var stored = await Task.WhenAll(grains.Select(grain => ReadAsync(Storage, grain)));

        Assert.Equal([.. Enumerable.Repeat("written", grains.Count), nameof(PostgresException)], outcomes);
        Assert.All(stored, state => Assert.Equal(("v1", "1"), (state.State?.Text, state.ETag)));
        Assert.Equal(grains.Count, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task Concurrent_writes_of_one_grain_with_successive_etags_are_applied_in_order()
    {
        // A grain awaits each write, so two of one grain are never queued together in practice; if they are, the second
        // must see the first committed (it goes in a later batch), as when sent one after the other.
        var grain = GrainId.Create(ProbeType, "queued-twice");
        var first = await WriteAsync(Storage, grain, new GrainState<TextState>(), "v1");
        var mates = Enumerable.Range(0, 8).Select(i => GrainId.Create(ProbeType, $"queued-mate-{i}")).ToList();

        var writes = mates.Select(mate => WriteAsync(Storage, mate, new GrainState<TextState>(), "mate")).ToList();
        var second = WriteAsync(Storage, grain, first, "v2");
        var third = WriteAsync(Storage, grain, new GrainState<TextState>(new TextState(), "2") { RecordExists = true }, "v3");
        await Task.WhenAll(writes);
        var etags = (await second).ETag + "," + (await third).ETag;

        var stored = await ReadAsync(Storage, grain);
        Assert.Equal("2,3", etags);
        Assert.Equal(("v3", "3"), (stored.State?.Text, stored.ETag));
    }

    [Fact]
    public async Task Rows_of_the_ADO_NET_provider_behind_exact_keys_and_of_the_silos_storage_are_the_same_rows()
    {
        // Databases written before the silo had its own PostgreSQL storage keep working: the stock provider given the
        // whole grain id as its key (what ExactKeyGrainStorage passes it) and the silo's storage read and write one row.
        var stock = await StockAdoNetStorage.CreateAsync(fixture.Silo);
        var grain = GrainId.Create(ProbeType, "DE");
        var exactKey = GrainId.Create(grain.Type, grain.ToString());

        var old = await WriteAsync(stock, exactKey, new GrainState<TextState>(), "written by the ADO.NET provider");
        var oldETag = old.ETag;
        var read = await ReadAsync(Storage, grain);
        var readSeen = (read.State?.Text, read.ETag, read.RecordExists);
        var rewritten = await WriteAsync(Storage, grain, read, "written by the silo's storage");
        var readBack = await ReadAsync(stock, exactKey);
        var row = Assert.Single(await RowsAsync());

        Assert.Equal("1", oldETag);
        Assert.Equal(("written by the ADO.NET provider", "1", true), readSeen);
        Assert.Equal("2", rewritten.ETag);
        Assert.Equal(("written by the silo's storage", "2"), (readBack.State?.Text, readBack.ETag));
        Assert.Equal(($"{ProbeType}/DE", true, 0L, 0L), ((string)row["grain_id_extension"]!, (bool)row["has_extension"]!, (long)row["grain_id_n0"]!, (long)row["grain_id_n1"]!));
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(stock, exactKey, new GrainState<TextState>(new TextState(), oldETag) { RecordExists = true }, "stale"));
    }

    [Fact]
    public async Task A_write_refused_at_bind_time_leaves_its_connection_sound_for_the_statements_after_it()
    {
        // On one connection, in this order: the insert and the update each run once, then the insert's second run (where
        // Npgsql's automatic preparation would prepare it) is refused as its values are bound. With automatic preparation
        // on, the connection's prepared statements were then out of step with the server and the next insert failed with
        // "Received unexpected backend message DataRow" (Npgsql 10.0.3; CI of 060abc7). The silo's connection settings.
        var connectionString = new NpgsqlConnectionStringBuilder(GnlcStoreOptions.WithConnectionSettings(fixture.Cluster.ConnectionString))
        {
            MaxPoolSize = 1,
        }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var storage = new PostgresGrainStorage(
            dataSource,
            fixture.Cluster.ServiceId,
            new OrleansGrainStorageSerializer(fixture.Silo.Services.GetRequiredService<Serializer>()),
            fixture.Silo.Services.GetRequiredService<IActivatorProvider>());
        var first = GrainId.Create(ProbeType, "bind-first");
        var second = GrainId.Create(ProbeType, "bind-second");

        var state = await WriteAsync(storage, first, new GrainState<TextState>(), "v1");
        state = await WriteAsync(storage, first, state, "v2");
        await Assert.ThrowsAsync<PostgresException>(() => WriteAsync(storage, GrainId.Create(ProbeType, "bind\0refused"), new GrainState<TextState>(), "x"));
        var written = await Task.WhenAll(
            WriteAsync(storage, second, new GrainState<TextState>(), "v1"),
            WriteAsync(storage, first, state, "v3"));
        var stored = await Task.WhenAll(ReadAsync(storage, first), ReadAsync(storage, second));

        Assert.Equal(["1", "3"], written.Select(s => s.ETag));
        Assert.Equal([("v3", "3"), ("v1", "1")], stored.Select(s => (s.State?.Text, s.ETag)));
        Assert.Equal(2, (await RowsAsync()).Count);
    }

    private async Task<GrainState<TextState>> ReadAsync(IGrainStorage storage, GrainId grain)
    {
        var state = new GrainState<TextState>();
        await storage.ReadStateAsync(_stateName, grain, state);
        return state;
    }

    /// <summary>Writes <paramref name="text"/> with the ETag <paramref name="state"/> holds; returns it updated.</summary>
    private async Task<GrainState<TextState>> WriteAsync(IGrainStorage storage, GrainId grain, GrainState<TextState> state, string text)
    {
        state.State = new TextState { Text = text };
        await storage.WriteStateAsync(_stateName, grain, state);
        return state;
    }

    /// <summary>"written", or the name of the exception the write failed with.</summary>
    private static async Task<string> OutcomeAsync(Task write)
    {
        try
        {
            await write;
            return "written";
        }
        catch (Exception exception) when (exception is InconsistentStateException or PostgresException)
        {
            return exception.GetType().Name;
        }
    }

    private Task<List<Dictionary<string, object?>>> RowsAsync() =>
        Sql.RowsAsync(
            fixture.Cluster.ConnectionString,
            """
            SELECT grain_id_n0, grain_id_n1, grain_id_extension, has_extension, version, payload
            FROM orleans_storage WHERE service_id = @service AND grain_type = @type
            """,
            ("service", fixture.Cluster.ServiceId),
            ("type", _stateName));
}
