using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Errors;
using Gnlc.Events;
using Gnlc.Grains.Tests.Infrastructure;
using Gnlc.Periods;
using Gnlc.Time;
using static Gnlc.Grains.Tests.Infrastructure.Scenario;

namespace Gnlc.Grains.Tests;

/// <summary>
/// DOMAIN.md: "A caller that breaks a rule gets a clear, specific error and nothing changes", through the
/// grains: each refusal below carries its own code, and afterwards every grain involved has the version,
/// status and events it had before.
/// </summary>
[Collection(ClusterDefinition.Name)]
public sealed class RefusalTests(ClusterFixture fixture)
{
    private readonly Scenario _s = new(fixture);

    [Fact]
    public async Task Refused_commands_change_no_grain_and_announce_nothing()
    {
        var country = fixture.NewCountry();
        var officer = Actor.Commission(country);
        var period = await _s.OpenPeriodAsync(quota: 1);
        var chosen = await _s.RegisterCityAsync(country);
        var second = await _s.RegisterCityAsync(country);
        var unendorsed = await _s.RegisterCityAsync(country);
        await _s.ApplyAsync(chosen.Id, period.Id);
        await _s.ApplyAsync(second.Id, period.Id);
        await _s.Application(period.Id, unendorsed.Id).SaveDraftAsync(Actor.Mayor(unendorsed.Id), CompleteForm());
        await _s.Commission(country).EndorseAsync(officer, period.Id, chosen.Id);
        var before = await StateAsync();

        await RefusedAsync(ErrorCodes.QuotaExceeded, () => _s.Commission(country).EndorseAsync(officer, period.Id, second.Id));
        await RefusedAsync(ErrorCodes.MayorEndorsementRequired, () => _s.Application(period.Id, unendorsed.Id).SubmitAsync(Actor.Mayor(unendorsed.Id)));
        await RefusedAsync(ErrorCodes.ApplicationNotFound, () => _s.Commission(country).EndorseAsync(officer, period.Id, unendorsed.Id));
        await RefusedAsync(ErrorCodes.ApplicationWindowOpen, () => _s.Commission(country).ForwardAsync(officer, period.Id));
        await RefusedAsync(ErrorCodes.AlreadySubmitted, () => _s.Application(period.Id, second.Id).SaveDraftAsync(Actor.Mayor(second.Id), CompleteForm() with { Motivation = "Changed" }));
        await RefusedAsync(ErrorCodes.PeriodNotInReview, () => _s.Application(period.Id, chosen.Id).DecideAsync(Actor.Coordinator, new DecideApplication(Decision.Admit, "Early")));
        await RefusedAsync(ErrorCodes.PeriodNotInReview, () => _s.Period(period.Id).CloseAsync(Actor.Coordinator));
        await RefusedAsync(ErrorCodes.NotAMember, () => _s.City(chosen.Id).FileProgressReportAsync(Actor.Mayor(chosen.Id), new FileProgressReport("Too soon")));
        await RefusedAsync(ErrorCodes.NotYourCountry, () => _s.Commission(country).WithdrawEndorsementAsync(Actor.Commission(country == "FR" ? "DE" : "FR"), period.Id, chosen.Id));
        await RefusedAsync(ErrorCodes.MayorOnly, () => _s.City(chosen.Id).EndorseRepresentativeAsync(Actor.Representative(chosen.Id, Scenario.Delegate), "Deputy"));
        await RefusedAsync(ErrorCodes.CoordinatorOnly, () => _s.City(chosen.Id).GrantAwardAsync(Actor.Mayor(chosen.Id), new GrantAward(2025, "Self-awarded")));

        Assert.Equal(before, await StateAsync());

        async Task<string> StateAsync()
        {
            var parts = new List<string>();
            foreach (var city in new[] { chosen, second, unendorsed })
            {
                var application = await _s.Application(period.Id, city.Id).GetAsync(Actor.Coordinator);
                var view = await _s.City(city.Id).GetAsync();
                parts.Add($"{city.Id}: app v{application.Version} {application.Status}, city v{view.Version} {view.Status} reps {view.Representatives.Length} awards {view.Awards.Length}");
            }

            var commission = await _s.Commission(country).GetApplicationsAsync(officer, period.Id);
            var periodView = await _s.Period(period.Id).GetAsync();
            var events = fixture.Events.Delivered.Count(e => e.Period == period.Id || e.Country == GrainKeys.NormalizeCountry(country));
            parts.Add($"commission v{commission.Version} endorsed {commission.EndorsedCount} items {commission.Items.Length}; period v{periodView.Version} {periodView.Counts}; events {events}");
            return string.Join(Environment.NewLine, parts);
        }
    }

    [Fact]
    public async Task Only_a_registered_city_applies_only_to_a_scheduled_period_and_not_while_a_member()
    {
        var country = fixture.NewCountry();
        var period = await _s.OpenPeriodAsync();
        var unknown = GrainKeys.NewCityId(country, "Nowhere " + Guid.NewGuid().ToString("N")[..6]);
        await RefusedAsync(ErrorCodes.CityNotFound, () => _s.Application(period.Id, unknown).SaveDraftAsync(Actor.Mayor(unknown), CompleteForm()));
        await RefusedAsync(ErrorCodes.ApplicationNotFound, () => _s.Application(period.Id, unknown).GetAsync(Actor.Coordinator));

        var city = await _s.RegisterCityAsync(country);
        var unscheduled = NewPeriodId();
        await RefusedAsync(ErrorCodes.PeriodNotFound, () => _s.Application(unscheduled, city.Id).SaveDraftAsync(Actor.Mayor(city.Id), CompleteForm()));
        await RefusedAsync(ErrorCodes.ApplicationNotFound, () => _s.Application(unscheduled, city.Id).GetAsync(Actor.Coordinator));

        var member = await _s.RegisterCityAsync(country, memberSince: (await _s.NowAsync()).AddYears(-1));
        await RefusedAsync(ErrorCodes.AlreadyMember, () => _s.Application(period.Id, member.Id).SaveDraftAsync(Actor.Mayor(member.Id), CompleteForm()));

        // A draft saved as a candidate cannot be submitted once the city has become a member meanwhile.
        var imported = await _s.RegisterCityAsync(country);
        await _s.Application(period.Id, imported.Id).SaveDraftAsync(Actor.Mayor(imported.Id), CompleteForm());
        await _s.Application(period.Id, imported.Id).EndorseAsMayorAsync(Actor.Mayor(imported.Id), "Endorsed.");
        await _s.Grains.GetGrain<Notices.ICityInbox>(imported.Id).AdmitAsync(new Notices.AdmissionNotice("earlier", imported.Id, await _s.NowAsync()));
        await RefusedAsync(ErrorCodes.AlreadyMember, () => _s.Application(period.Id, imported.Id).SubmitAsync(Actor.Mayor(imported.Id)));
    }

    [Fact]
    public async Task A_submission_goes_to_the_commission_of_the_citys_country_and_no_other()
    {
        var country = fixture.NewCountry();
        var other = fixture.NewCountry();
        var period = await _s.OpenPeriodAsync();
        var city = await _s.RegisterCityAsync(country);
        await _s.ApplyAsync(city.Id, period.Id);

        Assert.Equal([city.Id], (await _s.Commission(country).GetApplicationsAsync(Actor.Commission(country), period.Id)).Items.Select(i => i.CityId));
        Assert.Empty((await _s.Commission(other).GetApplicationsAsync(Actor.Commission(other), period.Id)).Items);
        await RefusedAsync(ErrorCodes.ApplicationNotFound, () => _s.Commission(other).EndorseAsync(Actor.Commission(other), period.Id, city.Id));
        await RefusedAsync(ErrorCodes.NotYourCountry, () => _s.Application(period.Id, city.Id).GetAsync(Actor.Commission(other)));
    }

    [Fact]
    public async Task A_declined_application_leaves_the_city_a_candidate_and_the_period_closes_once_all_are_decided()
    {
        var country = fixture.NewCountry();
        var officer = Actor.Commission(country);
        var period = await _s.OpenPeriodAsync();
        var admitted = await _s.RegisterCityAsync(country);
        var declined = await _s.RegisterCityAsync(country);
        foreach (var city in new[] { admitted, declined })
        {
            await _s.ApplyAsync(city.Id, period.Id);
            await _s.Commission(country).EndorseAsync(officer, period.Id, city.Id);
        }

        await _s.Clock.AdvanceByAsync(CalendarDuration.FromMonths(2));
        await _s.Commission(country).ForwardAsync(officer, period.Id);
        await RefusedAsync(ErrorCodes.AlreadyForwarded, () => _s.Commission(country).WithdrawEndorsementAsync(officer, period.Id, declined.Id));
        await _s.Clock.AdvanceByAsync(CalendarDuration.FromMonths(1));

        await _s.Application(period.Id, admitted.Id).DecideAsync(Actor.Coordinator, new DecideApplication(Decision.Admit, "Strong plan"));
        await RefusedAsync(ErrorCodes.ApplicationsUndecided, () => _s.Period(period.Id).CloseAsync(Actor.Coordinator));
        var no = await _s.Application(period.Id, declined.Id).DecideAsync(Actor.Coordinator, new DecideApplication(Decision.Decline, "Plan not yet funded"));
        Assert.Equal((ApplicationStatus.Declined, "Plan not yet funded"), (no.Status, no.DecisionReason));
        Assert.Equal(CityStatus.Candidate, (await _s.City(declined.Id).GetAsync()).Status);
        Assert.Equal(CityStatus.Member, (await _s.City(admitted.Id).GetAsync()).Status);

        var closed = await _s.Period(period.Id).CloseAsync(Actor.Coordinator);
        Assert.Equal((PeriodPhase.Closed, new PeriodCounts(0, 0, 0, 1, 1, 0)), (closed.Phase, closed.Counts));
        await RefusedAsync(ErrorCodes.AlreadyDecided, () => _s.Application(period.Id, declined.Id).DecideAsync(Actor.Coordinator, new DecideApplication(Decision.Admit, "Second thoughts")));
        var last = fixture.Events.Of(EntityKind.Application, $"{period.Id}/{declined.Id}")[^1];
        Assert.Equal((DomainEventType.ApplicationDecided, "Declined", "Plan not yet funded"), (last.Type, last.Status, last.Reason));
    }
}
