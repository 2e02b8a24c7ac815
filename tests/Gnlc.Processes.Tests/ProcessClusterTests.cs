using Gnlc.Processes.Tests.Infrastructure;
using Gnlc.Testing;

namespace Gnlc.Processes.Tests;

/// <summary>
/// Issue 7.6: three silo processes and an Api process on PostgreSQL, as a compose file would run them. Under a steady
/// load of application cycles one silo is stopped with SIGTERM and another SIGKILLed; then the whole cluster is
/// stopped and started again. Every change the Api acknowledged must be readable, stored and on the event log,
/// before and after the restart; every request that failed meanwhile must have failed with a retryable 503.
/// </summary>
public sealed class ProcessClusterTests(PostgresServer server)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Acknowledged_changes_survive_a_SIGTERM_a_SIGKILL_and_a_full_restart_and_failed_requests_are_503()
    {
        await using var cluster = new ProcessCluster(await server.CreateDatabaseAsync("process_cluster"));
        await cluster.StartAsync(silos: 3, apis: 1, Cancellation);
        cluster.Note("3 silos and 1 Api ready");
        var figures = new Figures();
        using var client = new GnlcClient(cluster.ApiAddresses, figures);
        var ledger = new Ledger();
        var applicants = new Applicants(client, ledger, "2026");
        await applicants.StartAsync(Cancellation);
        await applicants.OpenPeriodAsync(Cancellation);
        var countries = await applicants.CountriesAsync(6, Cancellation);

        var load = new Load(applicants, countries, concurrency: 8, maxCities: 400);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token, Cancellation);

        await AcknowledgedAtLeastAsync(ledger, 40, running);
        var terminated = cluster.Silos[0];
        var exitCode = await cluster.TerminateSiloAsync(0);
        var statusAfterTerm = await cluster.MembershipStatusAsync(terminated, Cancellation);

        await AcknowledgedAtLeastAsync(ledger, ledger.Acknowledged + 30, running);
        var killed = cluster.Silos[1];
        await cluster.KillSiloAsync(1);
        await cluster.WaitUntilDeadAsync(killed, Cancellation);
        // The load goes on against the one silo left.
        await AcknowledgedAtLeastAsync(ledger, ledger.Acknowledged + 30, running);
        await stop.CancelAsync();
        await running;
        cluster.Note($"load stopped after {load.Started} city cycles");

        using var checkClient = new GnlcClient(cluster.ApiAddresses, new Figures());
        var before = await new Verification(checkClient, applicants, cluster.ConnectionString, cluster.ServiceId, TimeSpan.FromSeconds(150))
            .RunAsync(Cancellation);

        var stopped = await cluster.StopAllAsync();
        var membershipAfterStop = await cluster.MembershipAsync(Cancellation);
        await cluster.StartAsync(silos: 3, apis: 1, Cancellation);
        cluster.Note("restarted: 3 silos and 1 Api ready");
        var afterFigures = new Figures();
        using var afterClient = new GnlcClient(cluster.ApiAddresses, afterFigures);
        var after = await new Verification(afterClient, applicants, cluster.ConnectionString, cluster.ServiceId, TimeSpan.FromSeconds(150))
            .RunAsync(Cancellation);

        Report.Print(
            "Process cluster (SIGTERM, SIGKILL, full restart)", cluster, figures, ledger,
            ("SIGTERMed silo", $"exit code {exitCode}, membership status {statusAfterTerm} (6 = Dead)"),
            ("full stop", string.Join(", ", stopped.Select(s => $"{s.Name} exit {s.ExitCode}"))),
            ("membership after the full stop", string.Join(", ", membershipAfterStop.Select(m => $"port {m.Port} status {m.Status}"))),
            ("before the restart", before.Render()),
            ("after the restart", after.Render()),
            ("reads after the restart", afterFigures.Render()));

        Assert.Equal(0, exitCode);
        Assert.Equal(ProcessCluster.DeadStatus, statusAfterTerm);
        Assert.All(stopped, s => Assert.Equal(0, s.ExitCode));
        Assert.All(membershipAfterStop, m => Assert.Equal(ProcessCluster.DeadStatus, m.Status));
        AssertAnswers(figures);
        Assert.True(ledger.Submissions.Count >= 10, "enough applications went through to mean something");
        Assert.Empty(before.Lost);
        Assert.Empty(before.Violations);
        Assert.Empty(after.Lost);
        Assert.Empty(after.Violations);
        Assert.Equal(0, afterFigures.Count(503) + afterFigures.ServerErrorCount + afterFigures.NoAnswer);
    }

    /// <summary>Every request got an answer; failures were 503 with Retry-After or explained domain refusals.</summary>
    internal static void AssertAnswers(Figures figures)
    {
        Assert.Equal(0, figures.NoAnswer);
        Assert.Empty(figures.ServerErrors);
        Assert.Equal(0, figures.ServerErrorCount);
        Assert.Equal(0, figures.UnavailableWithoutRetryAfter);
        // Explained refusals: a commission past its quota of three; an endorsement that reached the commission before
        // the submission it endorses (whose delivery to the commission a silo's death had delayed: the outbox retries it).
        Assert.All(figures.Refusals.Keys, code => Assert.Contains(code, ExplainedRefusals));
    }

    private static readonly string[] ExplainedRefusals = ["409 quota-exceeded", "404 application-not-found"];

    /// <summary>Waits for the load to reach <paramref name="count"/> acknowledged writes; a load that failed fails the test.</summary>
    internal static async Task AcknowledgedAtLeastAsync(Ledger ledger, int count, Task load)
    {
        await Poll.UntilAsync(
            () => Task.FromResult(ledger.Acknowledged >= count || load.IsCompleted), TimeSpan.FromSeconds(180), $"{count} acknowledged writes", Cancellation);
        if (load.IsFaulted)
        {
            // The load's own failure (an unexpected answer) explains more than the missing count.
            await load;
        }

        Assert.True(ledger.Acknowledged >= count, $"The load ended with {ledger.Acknowledged} acknowledged writes, fewer than {count}.");
    }
}
