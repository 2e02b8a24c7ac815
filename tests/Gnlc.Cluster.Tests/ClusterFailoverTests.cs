using Gnlc.Cluster.Tests.Infrastructure;
using Gnlc.Testing;

namespace Gnlc.Cluster.Tests;

/// <summary>
/// Several silos on the real ADO.NET clustering (membership in PostgreSQL), with grain state and reminders in
/// PostgreSQL, reached through a client that finds its gateways in the membership table. Each test has its own
/// database and cluster.
/// </summary>
public sealed class ClusterFailoverTests(PostgresServer server)
{
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_grain_of_a_killed_silo_answers_from_a_survivor_with_its_last_acknowledged_state()
    {
        var cluster = ClusterIdentity.New(await server.CreateDatabaseAsync("failover"));
        await using var doomed = await PostgresSilo.StartAsync(cluster, Cancellation);
        await using var survivor = await PostgresSilo.StartAsync(cluster, Cancellation);
        await using var client = await PostgresClusterClient.ConnectAsync(cluster, Cancellation);
        var counter = await FirstGrainHostedOnAsync(client, doomed.Address);
        var acknowledged = 0;
        for (var i = 0; i < 3; i++)
        {
            acknowledged = await counter.Increment();
        }

        await doomed.KillAsync();

        // Calls fail while the cluster takes the silo out; then the grain is activated again from PostgreSQL.
        var value = await Eventually.SucceedsAsync(counter.Current, FailoverTimeout);
        Assert.Equal(3, acknowledged);
        Assert.Equal(acknowledged, value);
        Assert.Equal(survivor.Address, await counter.Host());
        Assert.Equal(4, await counter.Increment());
    }

    [Fact]
    public async Task Stopping_every_silo_and_starting_again_brings_back_state_and_pending_reminders()
    {
        var cluster = ClusterIdentity.New(await server.CreateDatabaseAsync("restart"));
        var key = "restart-" + Guid.NewGuid().ToString("N")[..12];
        var before = await Task.WhenAll(PostgresSilo.StartAsync(cluster, Cancellation), PostgresSilo.StartAsync(cluster, Cancellation));
        int stateBefore;
        int ticksBefore;
        await using (var client = await PostgresClusterClient.ConnectAsync(cluster, Cancellation))
        {
            var counter = client.Client.GetGrain<ICounterGrain>(key);
            await counter.Increment();
            stateBefore = await counter.Increment();
            // Due after the restart below; the minimum period is a minute, so only the first tick matters here.
            var log = client.Client.GetGrain<IReminderLogGrain>(key);
            await log.Schedule("pending", dueTime: TimeSpan.FromSeconds(15), period: TimeSpan.FromMinutes(1));
            ticksBefore = await log.Ticks("pending");
        }

        foreach (var silo in before)
        {
            await silo.DisposeAsync();
        }

        var reminderRows = await Sql.ScalarAsync<long>(
            cluster.ConnectionString, "SELECT count(*) FROM orleans_reminders WHERE service_id = @service", ("service", cluster.ServiceId));
        var after = await Task.WhenAll(PostgresSilo.StartAsync(cluster, Cancellation), PostgresSilo.StartAsync(cluster, Cancellation));
        try
        {
            await using var client = await PostgresClusterClient.ConnectAsync(cluster, Cancellation);
            var counter = client.Client.GetGrain<ICounterGrain>(key);
            var log = client.Client.GetGrain<IReminderLogGrain>(key);

            Assert.Equal(2, stateBefore);
            Assert.Equal(0, ticksBefore);
            Assert.Equal(1L, reminderRows);
            Assert.Equal(stateBefore, await counter.Current());
            Assert.Equal(["pending"], await log.Reminders());
            // If the restart outlasted the due time, the next tick comes a period later: allow for that.
            await Eventually.HoldsAsync(
                async () => await log.Ticks("pending") > 0, TimeSpan.FromSeconds(120), "the reminder registered before the restart fires after it");
        }
        finally
        {
            foreach (var silo in after)
            {
                await silo.DisposeAsync();
            }
        }
    }

    /// <summary>Placement is the cluster's choice: try fresh keys until one lands on <paramref name="silo"/>.</summary>
    private static async Task<ICounterGrain> FirstGrainHostedOnAsync(PostgresClusterClient client, SiloAddress silo)
    {
        // A silo that has not yet seen the other one as active places everything on itself.
        var management = client.Client.GetGrain<IManagementGrain>(0);
        await Eventually.HoldsAsync(
            async () => (await management.GetHosts(onlyActive: true)).Count == 2, TimeSpan.FromSeconds(30), "both silos are active");
        var prefix = "failover-" + Guid.NewGuid().ToString("N")[..12];
        for (var i = 0; i < 100; i++)
        {
            var grain = client.Client.GetGrain<ICounterGrain>($"{prefix}-{i}");
            if (await grain.Host() == silo)
            {
                return grain;
            }
        }

        throw new InvalidOperationException($"No grain of 100 was placed on {silo}.");
    }
}
