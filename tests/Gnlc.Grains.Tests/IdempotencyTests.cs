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
/// Each multi-grain step of the cycle (submit: application → commission and period; endorse and forward:
/// commission → applications → period; admit: application → city → directory) issued twice at once
/// from two silos, then once more: the same outcome, the same versions, no duplicate event or count.
/// </summary>
[Collection(ClusterDefinition.Name)]
public sealed class IdempotencyTests(ClusterFixture fixture)
{
    private readonly Scenario _s = new(fixture);

    [Fact]
    public async Task Submit_endorse_forward_and_admit_issued_twice_from_two_silos_take_effect_once()
    {
        var country = fixture.NewCountry();
        var officer = Actor.Commission(country);
        var period = await _s.OpenPeriodAsync();
        var city = await _s.RegisterCityAsync(country);
        var applicationKey = GrainKeys.Application(period.Id, city.Id);
        var silos = fixture.SiloFactories;
        IApplicationGrain ApplicationOn(int silo) => silos[silo].GetGrain<IApplicationGrain>(applicationKey);
        INationalCommissionGrain CommissionOn(int silo) => silos[silo].GetGrain<INationalCommissionGrain>(GrainKeys.Commission(country));

        await _s.City(city.Id).EndorseRepresentativeAsync(Actor.Mayor(city.Id), Scenario.Delegate);
        await _s.Application(period.Id, city.Id).SaveDraftAsync(Actor.Mayor(city.Id), CompleteForm());
        await _s.Application(period.Id, city.Id).EndorseAsMayorAsync(Actor.Mayor(city.Id), "Endorsed.");

        // Submit, twice at once, then again.
        var submits = await Task.WhenAll(ApplicationOn(0).SubmitAsync(Actor.Mayor(city.Id)), ApplicationOn(1).SubmitAsync(Actor.Representative(city.Id, Scenario.Delegate)));
        Assert.Equal(submits[0], submits[1]);
        var afterSubmit = await SnapshotAsync();
        Assert.Equal(submits[0], await ApplicationOn(2).SubmitAsync(Actor.Mayor(city.Id)));
        Assert.Equal(afterSubmit, await SnapshotAsync());
        Assert.Single((await _s.Commission(country).GetApplicationsAsync(officer, period.Id)).Items);
        Assert.Equal(1, (await _s.Period(period.Id).GetAsync()).Counts.Submitted);

        // Endorse, twice at once, then again.
        var endorsements = await Task.WhenAll(CommissionOn(0).EndorseAsync(officer, period.Id, city.Id), CommissionOn(1).EndorseAsync(officer, period.Id, city.Id));
        Assert.Equal((1, endorsements[0].Version), (endorsements[1].EndorsedCount, endorsements[1].Version));
        var afterEndorse = await SnapshotAsync();
        Assert.Equal(endorsements[0].Version, (await CommissionOn(2).EndorseAsync(officer, period.Id, city.Id)).Version);
        Assert.Equal(afterEndorse, await SnapshotAsync());

        // Forward, twice at once, then again.
        await _s.Clock.AdvanceByAsync(CalendarDuration.FromMonths(2));
        var forwards = await Task.WhenAll(CommissionOn(0).ForwardAsync(officer, period.Id), CommissionOn(1).ForwardAsync(officer, period.Id));
        Assert.Equal((forwards[0].ForwardedAt, forwards[0].Version), (forwards[1].ForwardedAt, forwards[1].Version));
        var afterForward = await SnapshotAsync();
        Assert.Equal(forwards[0].ForwardedAt, (await CommissionOn(2).ForwardAsync(officer, period.Id)).ForwardedAt);
        Assert.Equal(afterForward, await SnapshotAsync());

        // Admit, twice at once, then again.
        await _s.Clock.AdvanceByAsync(CalendarDuration.FromMonths(1));
        var decision = new DecideApplication(Decision.Admit, "Admitted.");
        var admissions = await Task.WhenAll(ApplicationOn(0).DecideAsync(Actor.Coordinator, decision), ApplicationOn(1).DecideAsync(Actor.Coordinator, decision));
        Assert.Equal(admissions[0], admissions[1]);
        var afterAdmit = await SnapshotAsync();
        Assert.Equal(admissions[0], await ApplicationOn(2).DecideAsync(Actor.Coordinator, decision));
        Assert.Equal(afterAdmit, await SnapshotAsync());

        // One event per step, one count per status, one membership.
        Assert.Equal(
            [DomainEventType.ApplicationSubmitted, DomainEventType.ApplicationEndorsed, DomainEventType.ApplicationForwarded, DomainEventType.ApplicationDecided],
            fixture.Events.Of(EntityKind.Application, $"{period.Id}/{city.Id}").Select(e => e.Type));
        Assert.Single(fixture.Events.Of(EntityKind.Commission, GrainKeys.NormalizeCountry(country)), e => e.Period == period.Id);
        Assert.Equal([DomainEventType.CityRegistered, DomainEventType.MembershipChanged], fixture.Events.Of(EntityKind.City, city.Id).Select(e => e.Type));
        Assert.Equal(new PeriodCounts(0, 0, 0, 1, 0, 0), (await _s.Period(period.Id).GetAsync()).Counts);
        var members = await _s.Directory.ListCitiesAsync(new Network.DirectoryQuery(Country: country, Status: CityStatus.Member));
        Assert.Equal([city.Id], members.Items.Select(c => c.Id));

        async Task<Snapshot> SnapshotAsync()
        {
            var application = await _s.Application(period.Id, city.Id).GetAsync(Actor.Coordinator);
            var commission = await _s.Commission(country).GetApplicationsAsync(officer, period.Id);
            var counts = (await _s.Period(period.Id).GetAsync()).Counts;
            var member = await _s.City(city.Id).GetAsync();
            var events = fixture.Events.Delivered
                .Where(e => e.Period == period.Id || e.City == city.Id)
                .Select(e => (e.Entity, e.EntityId, e.Version))
                .Distinct()
                .Count();
            return new Snapshot(application.Version, application.Status, commission.Version, commission.EndorsedCount, counts, member.Version, member.Status, events);
        }
    }

    private static ApplicationForm CompleteForm() => Scenario.CompleteForm();

    private sealed record Snapshot(
        long ApplicationVersion, ApplicationStatus Status, long CommissionVersion, int Endorsed, PeriodCounts Counts, long CityVersion, CityStatus CityStatus, int Events);
}
