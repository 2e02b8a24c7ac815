using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Errors;
using Gnlc.Grains.Tests.Infrastructure;
using Gnlc.Infrastructure;
using Gnlc.Time;
using Microsoft.Extensions.DependencyInjection;
using static Gnlc.Grains.Tests.Infrastructure.Scenario;

namespace Gnlc.Grains.Tests;

/// <summary>
/// Silo failures. Grain state and reminders live in stores shared by the test process (as a database
/// would be), so a killed silo takes only its activations with it.
/// </summary>
[Collection(ClusterDefinition.Name)]
public sealed class FailureTests(ClusterFixture fixture)
{
    private static readonly TimeSpan PollLimit = TimeSpan.FromSeconds(60);
    private readonly Scenario _s = new(fixture);

    [Fact]
    public async Task A_silo_killed_mid_cycle_loses_no_acknowledged_change()
    {
        var country = fixture.NewCountry();
        var officer = Actor.Commission(country);
        var period = await _s.OpenPeriodAsync();
        var cities = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _s.RegisterCityAsync(country)));
        await Task.WhenAll(cities.Select(c => _s.ApplyAsync(c.Id, period.Id)));
        await _s.Commission(country).EndorseAsync(officer, period.Id, cities[0].Id);
        await _s.Commission(country).EndorseAsync(officer, period.Id, cities[1].Id);

        await KillAndReplaceASecondarySiloAsync();

        var view = await _s.Commission(country).GetApplicationsAsync(officer, period.Id);
        Assert.Equal(2, view.EndorsedCount);
        Assert.Equal(ApplicationStatus.Endorsed, (await _s.Application(period.Id, cities[1].Id).GetAsync(officer)).Status);
        await _s.Commission(country).EndorseAsync(officer, period.Id, cities[2].Id);
        await RefusedAsync(ErrorCodes.QuotaExceeded, () => _s.Commission(country).EndorseAsync(officer, period.Id, cities[3].Id));

        await _s.Clock.AdvanceByAsync(CalendarDuration.FromMonths(2));
        await _s.Commission(country).ForwardAsync(officer, period.Id);
        await KillAndReplaceASecondarySiloAsync();
        await _s.Clock.AdvanceByAsync(CalendarDuration.FromMonths(1));
        await _s.Application(period.Id, cities[0].Id).DecideAsync(Actor.Coordinator, new DecideApplication(Decision.Admit, "Admitted"));
        Assert.Equal(CityStatus.Member, (await _s.City(cities[0].Id).GetAsync()).Status);
        Assert.Equal(ApplicationStatus.NotEndorsed, (await _s.Application(period.Id, cities[3].Id).GetAsync(officer)).Status);
    }

    [Fact]
    public async Task A_deadline_that_passed_while_silos_were_down_is_processed_by_the_reminder_alone()
    {
        var country = fixture.NewCountry();
        var now = await _s.NowAsync();
        var city = await _s.RegisterCityAsync(country, memberSince: now.AddYears(-2).AddHours(1));
        Assert.Equal(now.AddHours(1), city.NextReportDue);

        await KillAndReplaceASecondarySiloAsync();

        // Time passes with nobody calling: no test clock, no request; only the city's durable reminder.
        fixture.Time.Advance(TimeSpan.FromHours(2));
        var deadline = DateTime.UtcNow + PollLimit;
        CityView current;
        do
        {
            current = await _s.City(city.Id).GetAsync();
            if (current.Status == CityStatus.ReportOverdue)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(CityStatus.ReportOverdue, current.Status);
    }

    [Fact]
    public async Task The_test_clock_moves_every_silo_and_a_silo_that_joins_later_loads_it()
    {
        var before = await _s.NowAsync();
        var advanced = await _s.Clock.AdvanceAsync(TimeSpan.FromDays(3));
        Assert.Equal(before.AddDays(3), advanced.Now);
        var offsets = fixture.Cluster.Silos.Select(s => fixture.Cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<ClusterClock>().Offset).ToList();
        Assert.All(offsets, o => Assert.Equal(offsets[0], o));

        var joined = await fixture.Cluster.StartAdditionalSiloAsync();
        var clock = fixture.Cluster.GetSiloServiceProvider(joined.SiloAddress).GetRequiredService<ClusterClock>();
        await clock.WhenReady.WaitAsync(PollLimit, TestContext.Current.CancellationToken);
        Assert.Equal(offsets[0], clock.Offset);
        await fixture.Cluster.StopSiloAsync(joined, TestContext.Current.CancellationToken);

        await RefusedAsync(ErrorCodes.InvalidDuration, () => _s.Clock.AdvanceAsync(TimeSpan.FromSeconds(-1)));
    }

    private async Task KillAndReplaceASecondarySiloAsync()
    {
        var victim = fixture.Cluster.Silos[^1];
        await fixture.Cluster.KillSiloAsync(victim);
        await fixture.Cluster.StartAdditionalSiloAsync();
        await fixture.Cluster.WaitForLivenessToStabilizeAsync();
    }
}
