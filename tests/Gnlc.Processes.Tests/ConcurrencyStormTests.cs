using System.Collections.Concurrent;
using System.Globalization;
using Gnlc.Processes.Tests.Infrastructure;
using Gnlc.Testing;

namespace Gnlc.Processes.Tests;

/// <summary>
/// Issue 9.3: 40 National Commissions, each with six submitted cities, and two endorsement attempts per city, half at
/// once and half at the kill, through two Api processes into three silos, one of which is SIGKILLed mid-storm. No
/// commission ends above its quota of three, and every acknowledged endorsement is recorded.
/// </summary>
public sealed class ConcurrencyStormTests(PostgresServer server)
{
    private const int Commissions = 40;
    private const int CitiesPerCommission = 6;
    private const int AttemptsPerCity = 2;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Forty_commissions_endorsing_at_once_through_a_silo_kill_never_exceed_three_and_lose_no_endorsement()
    {
        await using var cluster = new ProcessCluster(await server.CreateDatabaseAsync("storm"));
        await cluster.StartAsync(silos: 3, apis: 2, Cancellation);
        cluster.Note("3 silos and 2 Apis ready");
        var setupFigures = new Figures();
        using var setupClient = new GnlcClient(cluster.ApiAddresses, setupFigures);
        var ledger = new Ledger();
        var setup = new Applicants(setupClient, ledger, "2026");
        await setup.StartAsync(Cancellation);
        await setup.OpenPeriodAsync(Cancellation);
        var countries = await setup.CountriesAsync(Commissions, Cancellation);

        // Setup, without faults: 240 cities registered and submitted.
        var cities = new ConcurrentBag<(string Country, string CityId)>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Commissions * CitiesPerCommission),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Cancellation },
            async (number, token) =>
            {
                var country = countries[number % Commissions];
                if (await setup.RegisterAsync(country, number, token) is { } cityId && await setup.ApplyAsync(cityId, token))
                {
                    cities.Add((country, cityId));
                }
            });
        foreach (var country in countries)
        {
            await setup.CommissionTokenAsync(country, Cancellation);
        }

        cluster.Note($"setup done: {cities.Count} applications submitted");

        // The storm: every attempt at once, shuffled so that each commission's attempts interleave.
        var figures = new Figures();
        using var client = new GnlcClient(cluster.ApiAddresses, figures);
        // The same tokens, so that the storm's figures hold only endorsement requests.
        var storm = setup.Through(client);
        var attempts = cities.SelectMany(city => Enumerable.Repeat(city, AttemptsPerCity)).OrderBy(_ => Random.Shared.Next()).ToList();
        var answered = 0;
        var finals = new ConcurrentBag<(string Country, string CityId, Answer Answer)>();
        // The kill lands in the storm by construction, however fast the machine: half the attempts go at once, the
        // silo is killed once a sixteenth of all have been answered (signalled by that answer, not polled), and the
        // other half go at once right after the kill, while the cluster has still to notice the silo is gone.
        var firstAnswers = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killIssued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstHalf = attempts.Count / 2;
        cluster.Note($"storm starts: {attempts.Count} endorsement attempts, half at once and half at the kill");
        var stormTask = Task.WhenAll(attempts.Select(async (attempt, index) =>
        {
            if (index >= firstHalf)
            {
                await killIssued.Task;
            }

            var answer = await storm.EndorseAsync(attempt.Country, attempt.CityId, Cancellation);
            if (Interlocked.Increment(ref answered) == attempts.Count / 16)
            {
                firstAnswers.TrySetResult();
            }

            finals.Add((attempt.Country, attempt.CityId, answer));
        }));
        await firstAnswers.Task.WaitAsync(TimeSpan.FromSeconds(120), Cancellation);
        var answersAtKill = figures.ByStatus.Values.Sum();
        var killed = cluster.Silos[2];
        await cluster.KillSiloAsync(2);
        killIssued.SetResult();
        await stormTask;
        cluster.Note($"storm answered: {answered} attempts, final answers in");
        await cluster.WaitUntilDeadAsync(killed, Cancellation);

        using var checkClient = new GnlcClient(cluster.ApiAddresses, new Figures());
        var report = await new Verification(checkClient, setup, cluster.ConnectionString, cluster.ServiceId, TimeSpan.FromSeconds(150))
            .RunAsync(Cancellation);
        var unresolved = finals.Where(f => !f.Answer.Succeeded && f.Answer.Code != "quota-exceeded").ToList();
        var perCommission = ledger.Endorsements.GroupBy(p => p.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        Report.Print(
            "Concurrency storm", cluster, figures, ledger,
            ("setup requests", setupFigures.Render()),
            ("storm answers before the kill", answersAtKill.ToString(CultureInfo.InvariantCulture)),
            ("final answers", $"{finals.Count(f => f.Answer.Succeeded)} 2xx, {finals.Count(f => f.Answer.Code == "quota-exceeded")} quota-exceeded, {unresolved.Count} other"),
            ("acknowledged endorsements per commission", $"min {perCommission.Values.DefaultIfEmpty().Min()}, max {perCommission.Values.DefaultIfEmpty().Max()} over {perCommission.Count} commissions"),
            ("endorsements per commission (read back)", string.Join(", ", report.EndorsedPerCountry.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"))),
            ("verification", report.Render()));

        Assert.Equal(Commissions * CitiesPerCommission, cities.Count);
        Assert.Equal(0, setupFigures.ServerErrorCount + setupFigures.NoAnswer);
        Assert.Equal(attempts.Count, finals.Count);
        ProcessClusterTests.AssertAnswers(figures);
        Assert.Empty(unresolved);
        Assert.Empty(report.Lost);
        Assert.Empty(report.Violations);
        Assert.Equal(Commissions, report.EndorsedPerCountry.Count);
        // Every city was tried, so each commission filled its quota exactly: three, never four.
        Assert.All(report.EndorsedPerCountry.Values, count => Assert.Equal(3, count));
        Assert.All(perCommission.Values, count => Assert.InRange(count, 1, 3));
    }
}
