using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Commissions;
using Gnlc.Events;
using Gnlc.Grains.Tests.Infrastructure;
using Gnlc.Periods;
using Gnlc.Time;

namespace Gnlc.Grains.Tests;

/// <summary>
/// DOMAIN.md "Application period" (phases advanced by durable reminders, surviving restarts) and
/// "Members" (overdue by reminder): deadlines that fall due while the whole cluster is down are
/// processed once a new cluster starts on the same stores, by the grains' reminders alone (no caller,
/// no test-clock call), and no acknowledged change is lost. Runs in the cluster collection so it does
/// not compete with the other cluster tests for the machine.
/// </summary>
[Collection(ClusterDefinition.Name)]
public sealed class ClusterRestartTests
{
    private const string Country = "PT";

    /// <summary>How long a test waits for reminders to fire (they tick on real time, at most a minute apart).</summary>
    private static readonly TimeSpan ReminderLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Deadlines_that_fall_due_while_the_whole_cluster_is_down_are_processed_when_it_comes_back()
    {
        await using var world = new DurableWorld();
        await world.StartAsync();
        var now = await Clock(world).GetNowAsync();
        var hour = new CalendarDuration(0, 0, TimeSpan.FromHours(1));

        // A period whose application window and commission window last an hour each; two applicants,
        // one endorsed and never forwarded; a member whose progress report is due in three hours.
        var period = await world.Client.GetGrain<IPeriodRegistryGrain>(GrainKeys.PeriodRegistry)
            .ScheduleAsync(Actor.Coordinator, new SchedulePeriod("restart", now, hour, hour));
        Assert.Equal(PeriodPhase.Open, period.Phase);
        var endorsed = await RegisterAsync(world, "Braga", null);
        var submitted = await RegisterAsync(world, "Faro", null);
        var member = await RegisterAsync(world, "Evora", now.AddYears(-2).AddHours(3));
        Assert.Equal(now.AddHours(3), member.NextReportDue);
        foreach (var city in new[] { endorsed, submitted })
        {
            var application = world.Client.GetGrain<IApplicationGrain>(GrainKeys.Application(period.Id, city.Id));
            await application.SaveDraftAsync(Actor.Mayor(city.Id), Scenario.CompleteForm());
            await application.EndorseAsMayorAsync(Actor.Mayor(city.Id), "Endorsed by the mayor.");
            await application.SubmitAsync(Actor.Mayor(city.Id));
        }

        var commission = world.Client.GetGrain<INationalCommissionGrain>(GrainKeys.Commission(Country));
        Assert.Equal(1, (await commission.EndorseAsync(Actor.Commission(Country), period.Id, endorsed.Id)).EndorsedCount);

        // The whole cluster goes down; four hours pass; every deadline above falls due meanwhile.
        await world.StopAsync();
        world.Time.Advance(TimeSpan.FromHours(4));
        await world.StartAsync();

        // Nothing calls a command or the test clock: only the durable reminders run the deadlines.
        var counts = await EventuallyAsync(
            () => world.Client.GetGrain<IApplicationPeriodGrain>(GrainKeys.Period(period.Id)).GetAsync(),
            p => p.Counts.NotEndorsed == 2 && world.Events.Of(EntityKind.Period, period.Id).Any(e => e.Status == "Review"));
        Assert.Equal(new PeriodCounts(0, 0, 0, 0, 0, 2), counts.Counts);
        Assert.Equal(
            [("Scheduled", now), ("Open", now), ("Endorsement", period.Schedule.ClosesAt), ("Review", period.Schedule.EndorsementDeadline)],
            world.Events.Of(EntityKind.Period, period.Id).Select(e => (e.Status, e.OccurredAt)));

        foreach (var (city, reason) in new[] { (endorsed, "endorsed-not-forwarded"), (submitted, "deadline-passed") })
        {
            var application = await world.Client.GetGrain<IApplicationGrain>(GrainKeys.Application(period.Id, city.Id)).GetAsync(Actor.Coordinator);
            Assert.Equal(ApplicationStatus.NotEndorsed, application.Status);
            var last = world.Events.Of(EntityKind.Application, $"{period.Id}/{city.Id}")[^1];
            Assert.Equal((DomainEventType.ApplicationNotEndorsed, reason, period.Schedule.EndorsementDeadline), (last.Type, last.Reason, last.OccurredAt));
        }

        var overdue = await EventuallyAsync(() => world.Client.GetGrain<ICityGrain>(member.Id).GetAsync(), c => c.Status == CityStatus.ReportOverdue);
        Assert.Equal(CityStatus.ReportOverdue, overdue.Status);
        var overdueEvent = world.Events.Of(EntityKind.City, member.Id)[^1];
        Assert.Equal((DomainEventType.ProgressReportOverdue, member.NextReportDue!.Value), (overdueEvent.Type, overdueEvent.OccurredAt));

        // The acknowledged changes from before the restart are all there, and the choice is final.
        commission = world.Client.GetGrain<INationalCommissionGrain>(GrainKeys.Commission(Country));
        var view = await commission.GetApplicationsAsync(Actor.Coordinator, period.Id);
        Assert.Equal(2, view.Items.Length);
        Assert.All(view.Items, i => Assert.Equal(ApplicationStatus.NotEndorsed, i.Status));
        await Scenario.RefusedAsync(Errors.ErrorCodes.DeadlinePassed, () => commission.ForwardAsync(Actor.Commission(Country), period.Id));
        Assert.Equal(member.Version + 1, overdue.Version);
    }

    [Fact]
    public async Task Acknowledged_changes_survive_a_restart_of_the_whole_cluster_and_the_quota_still_holds()
    {
        await using var world = new DurableWorld();
        await world.StartAsync();
        var now = await Clock(world).GetNowAsync();
        var period = await world.Client.GetGrain<IPeriodRegistryGrain>(GrainKeys.PeriodRegistry)
            .ScheduleAsync(Actor.Coordinator, new SchedulePeriod("restart-quota", now));
        var cities = new List<CityView>();
        foreach (var name in new[] { "Aveiro", "Coimbra", "Leiria", "Viseu" })
        {
            var city = await RegisterAsync(world, name, null);
            cities.Add(city);
            var application = world.Client.GetGrain<IApplicationGrain>(GrainKeys.Application(period.Id, city.Id));
            await application.SaveDraftAsync(Actor.Mayor(city.Id), Scenario.CompleteForm());
            await application.EndorseAsMayorAsync(Actor.Mayor(city.Id), "Endorsed by the mayor.");
            await application.SubmitAsync(Actor.Mayor(city.Id));
        }

        var commission = world.Client.GetGrain<INationalCommissionGrain>(GrainKeys.Commission(Country));
        await commission.EndorseAsync(Actor.Commission(Country), period.Id, cities[0].Id);
        await commission.EndorseAsync(Actor.Commission(Country), period.Id, cities[1].Id);
        await commission.EndorseAsync(Actor.Commission(Country), period.Id, cities[2].Id);

        await world.StopAsync();
        await world.StartAsync();

        commission = world.Client.GetGrain<INationalCommissionGrain>(GrainKeys.Commission(Country));
        Assert.Equal(3, (await commission.GetApplicationsAsync(Actor.Commission(Country), period.Id)).EndorsedCount);
        await Scenario.RefusedAsync(Errors.ErrorCodes.QuotaExceeded, () => commission.EndorseAsync(Actor.Commission(Country), period.Id, cities[3].Id));
        var statuses = await Task.WhenAll(cities.Select(c => world.Client.GetGrain<IApplicationGrain>(GrainKeys.Application(period.Id, c.Id)).GetAsync(Actor.Coordinator)));
        Assert.Equal([ApplicationStatus.Endorsed, ApplicationStatus.Endorsed, ApplicationStatus.Endorsed, ApplicationStatus.Submitted], statuses.Select(s => s.Status));
        Assert.Equal(new PeriodCounts(1, 3, 0, 0, 0, 0), (await world.Client.GetGrain<IApplicationPeriodGrain>(GrainKeys.Period(period.Id)).GetAsync()).Counts);
    }

    private static IClockGrain Clock(DurableWorld world) => world.Client.GetGrain<IClockGrain>(GrainKeys.Clock);

    private static Task<CityView> RegisterAsync(DurableWorld world, string name, DateTimeOffset? memberSince) =>
        world.Client.GetGrain<ICityGrain>(GrainKeys.NewCityId(Country, name))
            .RegisterAsync(Actor.Coordinator, new RegisterCity(name, Country, 100_000, "Mayor", memberSince));

    /// <summary>Reads until <paramref name="done"/> holds or the reminder limit passes; returns the last read.</summary>
    private static Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done) =>
        Poll.UntilAsync(read, done, ReminderLimit, TimeSpan.FromMilliseconds(500));
}
