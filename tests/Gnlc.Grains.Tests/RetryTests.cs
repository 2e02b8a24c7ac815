using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Events;
using Gnlc.Grains.Tests.Infrastructure;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.Time;

namespace Gnlc.Grains.Tests;

/// <summary>Every multi-grain step can be retried, by a client or by an outbox redelivering, without a second effect.</summary>
[Collection(ClusterDefinition.Name)]
public sealed class RetryTests(ClusterFixture fixture)
{
    private readonly Scenario _s = new(fixture);

    [Fact]
    public async Task Retried_commands_and_redelivered_notices_change_nothing_twice()
    {
        var country = fixture.NewCountry();
        var officer = Actor.Commission(country);
        var period = await _s.OpenPeriodAsync();
        var city = await _s.RegisterCityAsync(country);
        Assert.Equal(city.Version, (await _s.RegisterCityAsync(country, city.Name)).Version);

        // Submit (application → commission), twice.
        var submitted = await _s.ApplyAsync(city.Id, period.Id);
        Assert.Equal(submitted, await _s.Application(period.Id, city.Id).SubmitAsync(Actor.Mayor(city.Id)));
        var schedule = (await _s.Period(period.Id).GetAsync()).Schedule;
        var notice = new SubmissionNotice(period.Id, city.Id, city.Name, submitted.SubmittedAt!.Value, schedule, submitted.Version);
        var commissionBefore = await _s.Commission(country).GetApplicationsAsync(officer, period.Id);
        await _s.Grains.GetGrain<ICommissionInbox>(GrainKeys.Commission(country)).ReceiveSubmissionAsync(notice);
        var commissionAfter = await _s.Commission(country).GetApplicationsAsync(officer, period.Id);
        Assert.Equal((commissionBefore.Version, commissionBefore.Items.Single()), (commissionAfter.Version, commissionAfter.Items.Single()));

        // Endorse (commission → application), twice; a stale notice is ignored.
        var endorsed = await _s.Commission(country).EndorseAsync(officer, period.Id, city.Id);
        var endorsedAgain = await _s.Commission(country).EndorseAsync(officer, period.Id, city.Id);
        Assert.Equal((endorsed.Version, endorsed.EndorsedCount), (endorsedAgain.Version, endorsedAgain.EndorsedCount));
        var application = await _s.Application(period.Id, city.Id).GetAsync(Actor.Coordinator);
        var inbox = _s.Grains.GetGrain<IApplicationInbox>(GrainKeys.Application(period.Id, city.Id));
        await inbox.ApplyCommissionNoticeAsync(new CommissionNotice(period.Id, city.Id, ApplicationStatus.Endorsed, DateTimeOffset.UnixEpoch, 1));
        await inbox.ApplyCommissionNoticeAsync(new CommissionNotice(period.Id, city.Id, ApplicationStatus.Submitted, DateTimeOffset.UnixEpoch, 0));
        Assert.Equal(application, await _s.Application(period.Id, city.Id).GetAsync(Actor.Coordinator));

        // Forward (commission → applications → period), twice.
        await _s.Clock.AdvanceByAsync(CalendarDuration.FromMonths(2));
        var forwarded = await _s.Commission(country).ForwardAsync(officer, period.Id);
        var forwardedAgain = await _s.Commission(country).ForwardAsync(officer, period.Id);
        Assert.Equal((forwarded.Version, forwarded.ForwardedAt), (forwardedAgain.Version, forwardedAgain.ForwardedAt));

        // Admit (application → city → directory), twice, and the admission redelivered.
        await _s.Clock.AdvanceByAsync(CalendarDuration.FromMonths(1));
        var decision = new DecideApplication(Decision.Admit, "Admitted");
        var admitted = await _s.Application(period.Id, city.Id).DecideAsync(Actor.Coordinator, decision);
        Assert.Equal(admitted, await _s.Application(period.Id, city.Id).DecideAsync(Actor.Coordinator, decision));
        var member = await _s.City(city.Id).GetAsync();
        await _s.Grains.GetGrain<ICityInbox>(city.Id).AdmitAsync(new AdmissionNotice(period.Id, city.Id, admitted.DecidedAt!.Value.AddDays(5)));
        var memberAfter = await _s.City(city.Id).GetAsync();
        Assert.Equal((member.Version, member.MemberSince, member.Status), (memberAfter.Version, memberAfter.MemberSince, memberAfter.Status));

        // The period counted the application once, and each version of each entity has one event.
        Assert.Equal(new PeriodCounts(0, 0, 0, 1, 0, 0), (await _s.Period(period.Id).GetAsync()).Counts);
        var events = fixture.Events.Of(EntityKind.Application, $"{period.Id}/{city.Id}");
        Assert.Equal(events.Count, events.Select(e => e.Type).Distinct().Count());
        Assert.Single(fixture.Events.Of(EntityKind.City, city.Id), e => e.Type == DomainEventType.MembershipChanged);
    }

    [Fact]
    public async Task Events_carry_increasing_versions_per_entity_and_every_status_change_has_one()
    {
        var country = fixture.NewCountry();
        var period = await _s.OpenPeriodAsync();
        var city = await _s.RegisterCityAsync(country);
        await _s.ApplyAsync(city.Id, period.Id);
        await _s.Commission(country).EndorseAsync(Actor.Commission(country), period.Id, city.Id);
        await _s.Commission(country).WithdrawEndorsementAsync(Actor.Commission(country), period.Id, city.Id);

        var events = fixture.Events.Of(EntityKind.Application, $"{period.Id}/{city.Id}");
        Assert.Equal(["Submitted", "Endorsed", "Submitted"], events.Select(e => e.Status));
        Assert.Equal(DomainEventType.EndorsementWithdrawn, events[^1].Type);
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Version < p.Second.Version));
        var view = await _s.Application(period.Id, city.Id).GetAsync(Actor.Coordinator);
        Assert.Equal(view.Version, events[^1].Version);
        Assert.All(events, e => Assert.Equal((GrainKeys.NormalizeCountry(country), city.Id, period.Id), (e.Country!, e.City!, e.Period!)));
    }
}
