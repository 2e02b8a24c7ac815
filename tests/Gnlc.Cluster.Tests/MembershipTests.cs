using System.Net;
using Gnlc.Cluster.Tests.Infrastructure;
using Gnlc.Silo.Persistence.Postgres;
using Gnlc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;

namespace Gnlc.Cluster.Tests;

/// <summary>
/// The ADO.NET clustering provider's contract on our schema, through the real 10.4.2 provider classes: each contract
/// test drives its own cluster id, so no live silo sees (or probes) the rows it writes. The last tests run real silos.
/// </summary>
public sealed class MembershipTests(MigratedDatabaseFixture database, PostgresServer server) : IClassFixture<MigratedDatabaseFixture>
{
    private static readonly IServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();
    private static readonly DateTime Now = WholeMilliseconds(DateTime.UtcNow);

    [Fact]
    public async Task A_row_is_inserted_only_against_the_current_table_version()
    {
        var table = await NewTableAsync();
        var empty = await table.ReadAllAsync(Cancellation);
        var first = Entry(port: 1, SiloStatus.Joining);
        var second = Entry(port: 2, SiloStatus.Joining);

        Assert.True(await table.InsertRowAsync(first, empty.Version.Next(), Cancellation));
        // Stale: the table moved on since `empty` was read.
        Assert.False(await table.InsertRowAsync(second, empty.Version.Next(), Cancellation));
        var current = await table.ReadAllAsync(Cancellation);
        // The same silo twice: refused, and the version does not move.
        Assert.False(await table.InsertRowAsync(first, current.Version.Next(), Cancellation));

        var final = await table.ReadAllAsync(Cancellation);
        Assert.Empty(empty.Members);
        Assert.Equal(empty.Version.Version + 1, final.Version.Version);
        var (stored, etag) = Assert.Single(final.Members);
        AssertSameEntry(first, stored);
        Assert.Equal(final.Version.VersionEtag, etag);
    }

    [Fact]
    public async Task A_row_is_updated_only_with_the_current_etag_and_keeps_status_votes_and_heartbeat()
    {
        var table = await NewTableAsync();
        var entry = Entry(port: 1, SiloStatus.Joining);
        var voter = Entry(port: 2, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));
        var read = await table.ReadRowAsync(entry.SiloAddress, Cancellation);
        var (_, etag) = Assert.Single(read.Members);

        entry.Status = SiloStatus.Active;
        entry.IAmAliveTime = Now.AddSeconds(5);
        entry.SuspectTimes = [Tuple.Create(voter.SiloAddress, Now.AddSeconds(4)), Tuple.Create(voter.SiloAddress, Now.AddSeconds(6))];
        var updated = await table.UpdateRowAsync(entry, etag, read.Version.Next(), Cancellation);
        var stale = await table.UpdateRowAsync(entry, etag, read.Version.Next(), Cancellation);

        Assert.True(updated);
        Assert.False(stale);
        var after = await table.ReadRowAsync(entry.SiloAddress, Cancellation);
        AssertSameEntry(entry, Assert.Single(after.Members).Item1);
        Assert.Equal(read.Version.Version + 1, after.Version.Version);
    }

    [Fact]
    public async Task I_am_alive_moves_the_heartbeat_but_not_the_table_version()
    {
        var table = await NewTableAsync();
        var entry = Entry(port: 1, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));
        var before = await table.ReadAllAsync(Cancellation);

        entry.IAmAliveTime = Now.AddMinutes(1);
        await table.UpdateIAmAliveAsync(entry, Cancellation);

        var after = await table.ReadAllAsync(Cancellation);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(Now.AddMinutes(1), Assert.Single(after.Members).Item1.IAmAliveTime);
    }

    [Fact]
    public async Task Times_are_stored_as_instants_whatever_the_sessions_time_zone()
    {
        // timestamptz: a silo whose session runs in another zone writes and reads the same instants.
        var faraway = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Timezone = "Pacific/Chatham" }.ConnectionString;
        var clusterId = NewClusterId();
        var writer = await NewTableAsync(faraway, clusterId);
        var reader = await NewTableAsync(clusterId: clusterId);
        var entry = Entry(port: 1, SiloStatus.Active);

        Assert.True(await writer.InsertRowAsync(entry, (await writer.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));

        AssertSameEntry(entry, Assert.Single((await reader.ReadAllAsync(Cancellation)).Members).Item1);
        AssertSameEntry(entry, Assert.Single((await writer.ReadAllAsync(Cancellation)).Members).Item1);
        Assert.Equal(entry.IAmAliveTime, await Sql.ScalarAsync<DateTime>(
            database.ConnectionString, "SELECT i_am_alive_time FROM orleans_membership WHERE deployment_id = @id", ("id", clusterId)));
    }

    [Fact]
    public async Task Cleanup_removes_only_dead_entries_that_were_silent_since_before_the_cutoff()
    {
        var table = await NewTableAsync();
        var voter = Entry(port: 9, SiloStatus.Active);
        var deadLongAgo = Entry(port: 1, SiloStatus.Dead, start: Now.AddHours(-3), alive: Now.AddHours(-2));
        var deadButVotedOnRecently = Entry(port: 2, SiloStatus.Dead, start: Now.AddHours(-3), alive: Now.AddHours(-2));
        deadButVotedOnRecently.SuspectTimes = [Tuple.Create(voter.SiloAddress, Now.AddMinutes(-1))];
        var deadRecently = Entry(port: 3, SiloStatus.Dead, start: Now.AddHours(-3), alive: Now.AddMinutes(-1));
        var aliveButOld = Entry(port: 4, SiloStatus.Active, start: Now.AddHours(-3), alive: Now.AddHours(-2));
        foreach (var entry in new[] { deadLongAgo, deadButVotedOnRecently, deadRecently, aliveButOld })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));
        }

        // Inserted rows carry no votes; set them as a silo voting would.
        var voted = await table.ReadRowAsync(deadButVotedOnRecently.SiloAddress, Cancellation);
        Assert.True(await table.UpdateRowAsync(deadButVotedOnRecently, Assert.Single(voted.Members).Item2, voted.Version.Next(), Cancellation));

        await table.CleanupDefunctSiloEntriesAsync(Now.AddHours(-1), Cancellation);

        var left = (await table.ReadAllAsync(Cancellation)).Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Order();
        Assert.Equal([2, 3, 4], left);
    }

    [Fact]
    public async Task Cleanup_falls_back_to_the_bulk_query_when_the_per_row_query_is_missing()
    {
        // The provider uses CleanupDefunctSiloEntriesKey only without CleanupDefunctSiloEntryKey; prove the fallback too.
        var connectionString = await server.CreateDatabaseAsync("cleanup_fallback");
        await Migrations.ApplyAsync(connectionString);
        await Sql.ExecuteAsync(connectionString, "DELETE FROM OrleansQuery WHERE QueryKey = 'CleanupDefunctSiloEntryKey'");
        var table = await NewTableAsync(connectionString);
        var deadLongAgo = Entry(port: 1, SiloStatus.Dead, start: Now.AddHours(-3), alive: Now.AddHours(-2));
        var deadRecently = Entry(port: 2, SiloStatus.Dead, start: Now.AddHours(-3), alive: Now.AddMinutes(-1));
        var aliveButOld = Entry(port: 3, SiloStatus.Active, start: Now.AddHours(-3), alive: Now.AddHours(-2));
        foreach (var entry in new[] { deadLongAgo, deadRecently, aliveButOld })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));
        }

        await table.CleanupDefunctSiloEntriesAsync(Now.AddHours(-1), Cancellation);

        var left = (await table.ReadAllAsync(Cancellation)).Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Order();
        Assert.Equal([2, 3], left);
    }

    [Fact]
    public async Task Clients_are_given_the_gateways_of_active_silos_only()
    {
        var clusterId = NewClusterId();
        var table = await NewTableAsync(clusterId: clusterId);
        var active = Entry(port: 1, SiloStatus.Active, proxyPort: 101);
        var activeWithoutGateway = Entry(port: 2, SiloStatus.Active, proxyPort: 0);
        var joining = Entry(port: 3, SiloStatus.Joining, proxyPort: 103);
        var dead = Entry(port: 4, SiloStatus.Dead, proxyPort: 104);
        foreach (var entry in new[] { active, activeWithoutGateway, joining, dead })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));
        }

        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            NoServices,
            Options.Create(new AdoNetClusteringClientOptions { Invariant = "Npgsql", ConnectionString = database.ConnectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "gateways" }));
        await gateways.InitializeGatewayListProvider();

        var uri = Assert.Single(await gateways.GetGateways());
        Assert.Equal(SiloAddress.New(IPAddress.Loopback, 101, active.SiloAddress.Generation).ToGatewayUri(), uri);
    }

    [Fact]
    public async Task Deleting_a_clusters_entries_leaves_other_clusters_alone()
    {
        var doomedId = NewClusterId();
        var keptId = NewClusterId();
        var doomed = await NewTableAsync(clusterId: doomedId);
        var kept = await NewTableAsync(clusterId: keptId);
        foreach (var table in new[] { doomed, kept })
        {
            Assert.True(await table.InsertRowAsync(Entry(port: 1, SiloStatus.Active), (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));
        }

        await doomed.DeleteMembershipTableEntriesAsync(doomedId, Cancellation);

        Assert.Equal(0L, await CountAsync("orleans_membership", doomedId));
        Assert.Equal(0L, await CountAsync("orleans_membership_version", doomedId));
        Assert.Single((await kept.ReadAllAsync(Cancellation)).Members);
    }

    [Fact]
    public async Task Silos_initialising_the_same_cluster_at_once_create_one_version_row()
    {
        var clusterId = NewClusterId();

        var tables = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => NewTableAsync(clusterId: clusterId))));

        Assert.Equal(1L, await CountAsync("orleans_membership_version", clusterId));
        Assert.All(await Task.WhenAll(tables.Select(t => t.ReadAllAsync(Cancellation))), data => Assert.Equal(0, data.Version.Version));
    }

    [Fact]
    public async Task Silos_join_become_active_publish_heartbeats_and_leave_as_dead()
    {
        // A database no migrator has touched: the two silos, started together, migrate it themselves.
        var cluster = ClusterIdentity.New(await server.CreateDatabaseAsync("silos_join"));
        var silos = await Task.WhenAll(PostgresSilo.StartAsync(cluster, Cancellation), PostgresSilo.StartAsync(cluster, Cancellation));
        try
        {
            var rows = await MembersAsync(cluster);
            Assert.Equal(silos.Select(s => Key(s.Address)).Order(), rows.Select(r => r.Key).Order());
            Assert.All(rows, row => Assert.Equal((int)SiloStatus.Active, row.Status));

            // Each silo publishes its heartbeat every second here (IAmAliveTablePublishTimeout).
            await Eventually.HoldsAsync(
                async () => (await MembersAsync(cluster)).All(now => now.IAmAlive > rows.Single(r => r.Key == now.Key).IAmAlive),
                TimeSpan.FromSeconds(30),
                "both silos' I-am-alive times advance");

            await silos[1].StopAsync();

            var after = await MembersAsync(cluster);
            Assert.Equal((int)SiloStatus.Dead, after.Single(r => r.Key == Key(silos[1].Address)).Status);
            Assert.Equal((int)SiloStatus.Active, after.Single(r => r.Key == Key(silos[0].Address)).Status);
            // Both silos migrated the fresh database at start-up; each migration is recorded once.
            Assert.Equal(
                PostgresMigrator.Migrations.Count,
                await Sql.ScalarAsync<int>(cluster.ConnectionString, "SELECT count(DISTINCT version)::int FROM gnlc_schema_version"));
            Assert.Equal(
                PostgresMigrator.Migrations.Count,
                await Sql.ScalarAsync<int>(cluster.ConnectionString, "SELECT count(*)::int FROM gnlc_schema_version"));
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static string NewClusterId() => "membership-" + Guid.NewGuid().ToString("N")[..12];

    private async Task<AdoNetClusteringTable> NewTableAsync(string? connectionString = null, string? clusterId = null)
    {
        var table = new AdoNetClusteringTable(
            NoServices,
            Options.Create(new ClusterOptions { ClusterId = clusterId ?? NewClusterId(), ServiceId = "membership" }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = "Npgsql", ConnectionString = connectionString ?? database.ConnectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, Cancellation);
        return table;
    }

    /// <summary>PostgreSQL keeps microseconds; whole milliseconds compare exactly after a round trip.</summary>
    private static DateTime WholeMilliseconds(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    private static MembershipEntry Entry(
        int port, SiloStatus status, DateTime? start = null, DateTime? alive = null, int? proxyPort = null) => new()
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 123_456),
            SiloName = $"silo-{port}",
            HostName = "test-host",
            Status = status,
            ProxyPort = proxyPort ?? port + 100,
            StartTime = start ?? Now.AddMinutes(-5),
            IAmAliveTime = alive ?? Now,
        };

    private static void AssertSameEntry(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.SiloAddress, actual.SiloAddress);
        Assert.Equal(expected.SiloName, actual.SiloName);
        Assert.Equal(expected.HostName, actual.HostName);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.ProxyPort, actual.ProxyPort);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.IAmAliveTime, actual.IAmAliveTime);
        Assert.Equal(expected.SuspectTimes ?? [], actual.SuspectTimes ?? []);
    }

    private Task<long> CountAsync(string table, string clusterId) =>
        Sql.ScalarAsync<long>(database.ConnectionString, $"SELECT count(*) FROM {table} WHERE deployment_id = @id", ("id", clusterId));

    private static string Key(SiloAddress address) => $"{address.Endpoint.Address}:{address.Endpoint.Port}:{address.Generation}";

    private static async Task<List<(string Key, int Status, DateTime IAmAlive)>> MembersAsync(ClusterIdentity cluster)
    {
        var rows = await Sql.RowsAsync(
            cluster.ConnectionString,
            "SELECT address, port, generation, status, i_am_alive_time FROM orleans_membership WHERE deployment_id = @id",
            ("id", cluster.ClusterId));
        return [.. rows.Select(r => ($"{r["address"]}:{r["port"]}:{r["generation"]}", (int)r["status"]!, (DateTime)r["i_am_alive_time"]!))];
    }
}
