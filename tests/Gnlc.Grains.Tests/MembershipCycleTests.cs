using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Errors;
using Gnlc.Events;
using Gnlc.Grains.Tests.Infrastructure;
using Gnlc.Network;
using Gnlc.Periods;
using Gnlc.Time;
using static Gnlc.Grains.Tests.Infrastructure.Scenario;

namespace Gnlc.Grains.Tests;

[Collection(ClusterDefinition.Name)]
public sealed class MembershipCycleTests(ClusterFixture fixture)
{
    private readonly Scenario _s = new(fixture);

    [Fact]
    public async Task A_city_goes_from_registration_to_admission_and_then_reports_every_two_years()
    {
        var country = fixture.NewCountry();
        var officer = Actor.Commission(country);
        var period = await _s.OpenPeriodAsync();
        Assert.Equal(PeriodPhase.Open, period.Phase);
        var chosen = await _s.RegisterCityAsync(country);
        var other = await _s.RegisterCityAsync(country);
        Assert.Equal(CityStatus.Candidate, chosen.Status);

        Assert.Equal(ApplicationStatus.Submitted, (await _s.ApplyAsync(chosen.Id, period.Id)).Status);
        await _s.ApplyAsync(other.Id, period.Id);
        var commission = _s.Commission(country);
        Assert.Equal(2, (await commission.GetApplicationsAsync(officer, period.Id)).Items.Length);

        await commission.EndorseAsync(officer, period.Id, chosen.Id);
        Assert.Equal(ApplicationStatus.Endorsed, (await _s.Application(period.Id, chosen.Id).GetAsync(officer)).Status);
        await RefusedAsync(ErrorCodes.ApplicationWindowOpen, () => commission.ForwardAsync(officer, period.Id));

        await _s.Clock.AdvanceByAsync(CalendarDuration.FromMonths(2));
        Assert.Equal(PeriodPhase.Endorsement, (await _s.Period(period.Id).GetAsync()).Phase);
        var forwarded = await commission.ForwardAsync(officer, period.Id);
        Assert.NotNull(forwarded.ForwardedAt);
        Assert.Equal(ApplicationStatus.Forwarded, (await _s.Application(period.Id, chosen.Id).GetAsync(Actor.Coordinator)).Status);
        Assert.Equal(ApplicationStatus.NotEndorsed, (await _s.Application(period.Id, other.Id).GetAsync(Actor.Coordinator)).Status);
        await RefusedAsync(ErrorCodes.PeriodNotInReview, () => _s.Application(period.Id, chosen.Id).DecideAsync(Actor.Coordinator, new DecideApplication(Decision.Admit, "Strong")));

        await _s.Clock.AdvanceByAsync(CalendarDuration.FromMonths(1));
        var review = await _s.Period(period.Id).GetAsync();
        Assert.Equal(PeriodPhase.Review, review.Phase);
        Assert.Equal(new PeriodCounts(0, 0, 1, 0, 0, 1), review.Counts);
        await RefusedAsync(ErrorCodes.ApplicationsUndecided, () => _s.Period(period.Id).CloseAsync(Actor.Coordinator));

        var admittedAt = await _s.NowAsync();
        Assert.Equal(ApplicationStatus.Admitted, (await _s.Application(period.Id, chosen.Id).DecideAsync(Actor.Coordinator, new DecideApplication(Decision.Admit, "Strong plan"))).Status);
        var member = await _s.City(chosen.Id).GetAsync();
        Assert.Equal(CityStatus.Member, member.Status);
        Assert.Equal(admittedAt, member.MemberSince);
        Assert.Equal(admittedAt.AddYears(2), member.NextReportDue);
        var listed = await _s.Directory.ListCitiesAsync(new DirectoryQuery(Country: country, Status: CityStatus.Member));
        Assert.Equal([chosen.Id], listed.Items.Select(c => c.Id));

        Assert.Equal(PeriodPhase.Closed, (await _s.Period(period.Id).CloseAsync(Actor.Coordinator)).Phase);

        Assert.Equal(
            [DomainEventType.ApplicationSubmitted, DomainEventType.ApplicationEndorsed, DomainEventType.ApplicationForwarded, DomainEventType.ApplicationDecided],
            fixture.Events.Of(EntityKind.Application, $"{period.Id}/{chosen.Id}").Select(e => e.Type));
        Assert.Equal(
            ["Scheduled", "Open", "Endorsement", "Review", "Closed"],
            fixture.Events.Of(EntityKind.Period, period.Id).Select(e => e.Status));
        Assert.Equal(
            [DomainEventType.CityRegistered, DomainEventType.MembershipChanged],
            fixture.Events.Of(EntityKind.City, chosen.Id).Select(e => e.Type));

        // Two years on, the first progress report is overdue: set by the deadline, not by a caller.
        await _s.Clock.AdvanceAsync(member.NextReportDue!.Value - await _s.NowAsync());
        var overdue = await _s.City(chosen.Id).GetAsync();
        Assert.Equal(CityStatus.ReportOverdue, overdue.Status);
        Assert.Equal(DomainEventType.ProgressReportOverdue, fixture.Events.Of(EntityKind.City, chosen.Id)[^1].Type);

        var filed = await _s.City(chosen.Id).FileProgressReportAsync(Actor.Representative(chosen.Id, Scenario.Delegate), new FileProgressReport("Two years of learning"));
        Assert.Equal(CityStatus.Member, filed.Status);
        Assert.Equal(member.NextReportDue.Value.AddYears(2), filed.NextReportDue);
        Assert.Equal(DomainEventType.ProgressReportFiled, fixture.Events.Of(EntityKind.City, chosen.Id)[^1].Type);
    }

    [Fact]
    public async Task At_the_endorsement_deadline_applications_not_forwarded_end_not_endorsed()
    {
        var country = fixture.NewCountry();
        var period = await _s.OpenPeriodAsync();
        var submittedOnly = await _s.RegisterCityAsync(country);
        var endorsedOnly = await _s.RegisterCityAsync(country);
        await _s.ApplyAsync(submittedOnly.Id, period.Id);
        await _s.ApplyAsync(endorsedOnly.Id, period.Id);
        await _s.Commission(country).EndorseAsync(Actor.Commission(country), period.Id, endorsedOnly.Id);

        var advanced = await _s.Clock.AdvanceByAsync(CalendarDuration.FromMonths(3));
        Assert.True(advanced.DeadlinesProcessed > 0);

        foreach (var city in new[] { submittedOnly, endorsedOnly })
        {
            Assert.Equal(ApplicationStatus.NotEndorsed, (await _s.Application(period.Id, city.Id).GetAsync(Actor.Coordinator)).Status);
        }

        var reasons = fixture.Events.Of(EntityKind.Application, $"{period.Id}/{endorsedOnly.Id}").Select(e => e.Reason);
        Assert.Contains("endorsed-not-forwarded", reasons);
        await RefusedAsync(ErrorCodes.DeadlinePassed, () => _s.Commission(country).ForwardAsync(Actor.Commission(country), period.Id));
        Assert.Equal(new PeriodCounts(0, 0, 0, 0, 0, 2), (await _s.Period(period.Id).GetAsync()).Counts);
    }

    [Fact]
    public async Task Actors_are_checked_in_the_grains()
    {
        var country = fixture.NewCountry();
        var period = await _s.OpenPeriodAsync();
        var city = await _s.RegisterCityAsync(country);
        await _s.ApplyAsync(city.Id, period.Id);

        await RefusedAsync(ErrorCodes.NotYourCountry, () => _s.Commission(country).EndorseAsync(Actor.Commission(country == "FR" ? "DE" : "FR"), period.Id, city.Id));
        await RefusedAsync(ErrorCodes.NotYourCity, () => _s.Application(period.Id, city.Id).GetAsync(Actor.Mayor(GrainKeys.NewCityId(country, "Elsewhere"))));
        await RefusedAsync(ErrorCodes.MayorOnly, () => _s.City(city.Id).EndorseRepresentativeAsync(Actor.Representative(city.Id, Scenario.Delegate), "Deputy"));
        var stranger = Actor.Representative(city.Id, "Not Endorsed");
        await RefusedAsync(ErrorCodes.RepresentativeNotEndorsed, () => _s.Application(period.Id, city.Id).GetAsync(stranger));
        await RefusedAsync(ErrorCodes.RepresentativeNotEndorsed, () => _s.Application(period.Id, city.Id).SubmitAsync(stranger));
        await RefusedAsync(ErrorCodes.RepresentativeNotEndorsed, () => _s.City(city.Id).UpdateProfileAsync(stranger, new UpdateCityProfile(Population: 1)));
        await RefusedAsync(ErrorCodes.CoordinatorOnly, () => _s.Registry.ScheduleAsync(Actor.Commission(country), new SchedulePeriod(NewPeriodId(), DateTimeOffset.MaxValue.AddYears(-1))));
        await RefusedAsync(ErrorCodes.CoordinatorOnly, () => _s.City(city.Id).SuspendAsync(Actor.Mayor(city.Id), "no"));
        var refusal = await RefusedAsync(ErrorCodes.CommissionOnly, () => _s.Commission(country).ForwardAsync(Actor.Coordinator, period.Id));
        Assert.Equal(ErrorKind.Forbidden, refusal.Kind);
    }

    [Fact]
    public async Task Directory_and_statistics_follow_status_changes_and_awards()
    {
        var country = fixture.NewCountry();
        var before = await _s.Directory.GetStatsAsync();
        var since = (await _s.NowAsync()).AddYears(-1);
        var member = await _s.RegisterCityAsync(country, "Lifelong Town", 100_000, since);
        await _s.RegisterCityAsync(country, "Candidate Village", 5_000);
        var suspended = await _s.RegisterCityAsync(country, "Quiet Harbour", 7_000, since);
        await _s.City(suspended.Id).SuspendAsync(Actor.Coordinator, "No report");
        var year = (await _s.NowAsync()).Year;
        await _s.City(member.Id).GrantAwardAsync(Actor.Coordinator, new GrantAward(year, "For learning in every neighbourhood"));

        var after = await _s.Directory.GetStatsAsync();
        Assert.Equal(before.MemberCities + 1, after.MemberCities);
        Assert.Equal(before.Countries + 1, after.Countries);
        Assert.Equal(before.Inhabitants + 100_000, after.Inhabitants);
        Assert.Equal(before.Awardees + 1, after.Awardees);

        var page = await _s.Directory.ListCitiesAsync(new DirectoryQuery(Country: country));
        Assert.Equal(["Candidate Village", "Lifelong Town", "Quiet Harbour"], page.Items.Select(c => c.Name));
        Assert.Equal(1, page.Items[1].AwardsCount);
        var awards = await _s.Directory.ListAwardsAsync(year, country);
        var award = Assert.Single(awards);
        Assert.Equal(("Lifelong Town", GrainKeys.NormalizeCountry(country)), (award.CityName, award.Country));

        await _s.City(member.Id).EndMembershipAsync(Actor.Coordinator, "Left the network");
        Assert.Equal(after.MemberCities - 1, (await _s.Directory.GetStatsAsync()).MemberCities);
    }

    [Fact]
    public async Task The_directory_lists_and_filters_a_thousand_cities()
    {
        var countries = Enumerable.Range(0, 4).Select(_ => fixture.NewCountry()).ToList();
        var names = Enumerable.Range(0, 1000).Select(i => (Country: countries[i % 4], Name: $"Town {i:D4} {(i % 10 == 0 ? "Harbour" : "Hill")}")).ToList();
        foreach (var batch in names.Chunk(100))
        {
            await Task.WhenAll(batch.Select(c => _s.RegisterCityAsync(c.Country, c.Name, 1_000, c.Name.EndsWith("Harbour", StringComparison.Ordinal) ? DateTimeOffset.UnixEpoch.AddYears(40) : null)));
        }

        var harbours = await _s.Directory.ListCitiesAsync(new DirectoryQuery(Q: "harbour", Status: CityStatus.Member, PageSize: 500));
        Assert.True(harbours.Total >= 100);
        var mine = await _s.Directory.ListCitiesAsync(new DirectoryQuery(Country: countries[1], Q: "TOWN 00", Page: 2, PageSize: 10));
        Assert.Equal(25, mine.Total);
        Assert.Equal(10, mine.Items.Length);
        Assert.Equal("Town 0041 Hill", mine.Items[0].Name);
    }
}
