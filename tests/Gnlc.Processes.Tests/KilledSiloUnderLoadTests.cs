using Gnlc.Processes.Tests.Infrastructure;
using Gnlc.Testing;

namespace Gnlc.Processes.Tests;

/// <summary>
/// Issue 9.1: a write storm (registrations, drafts, mayor's endorsements, submissions, commission endorsements) at a
/// concurrency of 16 against three silo processes, one of which is SIGKILLed mid-storm. Every request gets an answer;
/// every acknowledged change is in PostgreSQL and on the event log; no commission exceeds its quota.
/// </summary>
public sealed class KilledSiloUnderLoadTests(PostgresServer server)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_silo_killed_under_a_write_storm_loses_no_acknowledged_change_and_breaks_no_invariant()
    {
        await using var cluster = new ProcessCluster(await server.CreateDatabaseAsync("killed_silo"));
        await cluster.StartAsync(silos: 3, apis: 1, Cancellation);
        cluster.Note("3 silos and 1 Api ready");
        var figures = new Figures();
        using var client = new GnlcClient(cluster.ApiAddresses, figures);
        var ledger = new Ledger();
        var applicants = new Applicants(client, ledger, "2026");
        await applicants.StartAsync(Cancellation);
        await applicants.OpenPeriodAsync(Cancellation);
        var countries = await applicants.CountriesAsync(10, Cancellation);

        var load = new Load(applicants, countries, concurrency: 16, maxCities: 500);
        using var stop = new CancellationTokenSource();
        cluster.Note("storm starts (16 concurrent city cycles)");
        var running = load.RunAsync(stop.Token, Cancellation);

        await ProcessClusterTests.AcknowledgedAtLeastAsync(ledger, 80, running);
        var killed = cluster.Silos[1];
        await cluster.KillSiloAsync(1);
        var acknowledgedAtKill = ledger.Acknowledged;
        await cluster.WaitUntilDeadAsync(killed, Cancellation);
        await ProcessClusterTests.AcknowledgedAtLeastAsync(ledger, ledger.Acknowledged + 60, running);
        await stop.CancelAsync();
        await running;
        cluster.Note($"storm stopped after {load.Started} city cycles");

        using var checkClient = new GnlcClient(cluster.ApiAddresses, new Figures());
        var report = await new Verification(checkClient, applicants, cluster.ConnectionString, cluster.ServiceId, TimeSpan.FromSeconds(150))
            .RunAsync(Cancellation);

        Report.Print(
            "Killed silo under load", cluster, figures, ledger,
            ("acknowledged when the silo was killed", acknowledgedAtKill.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("endorsements per commission", string.Join(", ", report.EndorsedPerCountry.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"))),
            ("verification", report.Render()));

        ProcessClusterTests.AssertAnswers(figures);
        Assert.True(figures.Count(503) > 0 || ledger.Acknowledged > acknowledgedAtKill, "the storm ran on through the fault");
        Assert.Empty(report.Lost);
        Assert.Empty(report.Violations);
        Assert.All(report.EndorsedPerCountry.Values, count => Assert.InRange(count, 0, 3));
    }
}
