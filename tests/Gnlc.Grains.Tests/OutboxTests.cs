using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Domain;
using Gnlc.Events;
using Gnlc.Grains.Tests.Infrastructure;
using Gnlc.Network;
using Gnlc.State;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Gnlc.Grains.Tests;

/// <summary>
/// Every committed change is delivered, even when its delivery fails or its activation dies between the write and the
/// delivery; a redelivery records nothing twice.
/// </summary>
[Collection(ClusterDefinition.Name)]
public sealed class OutboxTests(ClusterFixture fixture)
{
    private static readonly TimeSpan PollLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly Scenario _s = new(fixture);

    [Fact]
    public async Task A_failed_delivery_is_retried_with_no_further_call_and_delivered_once()
    {
        var country = GrainKeys.NormalizeCountry(fixture.NewCountry());
        var failures = fixture.Events.FailedDeliveries;
        using (fixture.Events.FailDeliveries(e => e.Entity == EntityKind.City && e.Country == country, times: 2))
        {
            // The change is committed and acknowledged although its events could not be delivered.
            var city = await _s.RegisterCityAsync(country);
            Assert.Equal(CityStatus.Candidate, city.Status);

            // Nobody calls the city again: its retry alone delivers the outbox, after two more failures at most.
            var delivered = await PollAsync(() => fixture.Events.AllOf(EntityKind.City, city.Id));
            Assert.True(fixture.Events.FailedDeliveries >= failures + 1);
            var registered = Assert.Single(delivered);
            Assert.Equal((DomainEventType.CityRegistered, city.Version), (registered.Type, registered.Version));

            // The next change adds no event and brings the delivered one back at most as a duplicate (a change made while
            // the retry's delivery is still in flight carries its outbox on; receivers keep an event once per version).
            var updated = await _s.City(city.Id).UpdateProfileAsync(Actor.Mayor(city.Id), new UpdateCityProfile(Population: 300_000));
            Assert.Equal(300_000, updated.Population);
            Assert.Equal([city.Version], fixture.Events.Of(EntityKind.City, city.Id).Select(e => e.Version));
        }
    }

    [Fact]
    public async Task A_retry_that_falls_due_while_a_change_is_being_written_delivers_nothing_of_that_change_if_its_write_fails()
    {
        var country = GrainKeys.NormalizeCountry(fixture.NewCountry());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CityView city;
        using (fixture.Events.FailDeliveries(e => e.Entity == EntityKind.City && e.Country == country, times: 1_000))
        {
            // Committed; its event cannot be delivered, so retries fall due 200 ms, 600 ms, 1.4 s... after it.
            city = await _s.RegisterCityAsync(country);

            // A rename whose write outlasts several retries, then is lost: it was never committed.
            var row = SharedGrainStorage.KeyOf("city", _s.City(city.Id).GetGrainId());
            using (fixture.Store.LoseWrites(row, release.Task))
            {
                var rename = _s.City(city.Id).UpdateProfileAsync(Actor.Mayor(city.Id), new UpdateCityProfile(Name: "Never Renamed"));
                await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
                release.SetResult();
                await Assert.ThrowsAnyAsync<Exception>(() => rename);
            }
        }

        // A retry delivers the registration; none delivered the lost rename (the directory gets a summary with every
        // attempt, events or not).
        var registered = await PollAsync(() => fixture.Events.Of(EntityKind.City, city.Id));
        Assert.Equal([(DomainEventType.CityRegistered, city.Version)], registered.Select(e => (e.Type, e.Version)));
        var listed = await _s.Directory.ListCitiesAsync(new DirectoryQuery(Country: country));
        var summary = Assert.Single(listed.Items, c => c.Id == city.Id);
        Assert.Equal((city.Name, city.Version), (summary.Name, summary.Version));
        Assert.Equal(city.Name, (await _s.City(city.Id).GetAsync()).Name);
    }

    [Fact]
    public async Task An_outbox_left_in_stored_state_is_delivered_when_the_grain_activates_again()
    {
        // As if a silo died right after the write: the stored state holds the change and its undelivered outbox.
        var country = GrainKeys.NormalizeCountry(fixture.NewCountry());
        var name = "City " + Guid.NewGuid().ToString("N")[..8];
        var cityId = GrainKeys.NewCityId(country, name);
        var now = await _s.NowAsync();
        var committed = CityRules.Register(new CityState { Id = cityId }, cityId, Actor.Coordinator, new RegisterCity(name, country, 120_000, "Mayor", null), now);
        Assert.NotEmpty(committed.PendingEvents);
        var serializer = fixture.Cluster.GetSiloServiceProvider(fixture.Cluster.Silos[0].SiloAddress).GetRequiredService<IGrainStorageSerializer>();
        await new SharedGrainStorage(fixture.Store, serializer).WriteStateAsync(
            "city", GrainId.Create("gnlc-city", cityId), new GrainState<CityState>(committed));

        // The first call activates the grain, which delivers what the dead activation left.
        Assert.Equal(name, (await _s.City(cityId).GetAsync()).Name);
        var delivered = await PollAsync(() => fixture.Events.AllOf(EntityKind.City, cityId));
        var registered = Assert.Single(delivered);
        Assert.Equal((DomainEventType.CityRegistered, committed.Version), (registered.Type, registered.Version));
        // The summary goes to the directory beside the event, not before it: nobody waits for a redelivery, so the
        // directory may list the city an instant after the event log holds its event.
        var listed = await Poll.UntilAsync(
            () => _s.Directory.ListCitiesAsync(new DirectoryQuery(Country: country)),
            page => page.Items.Any(c => c.Id == cityId),
            PollLimit,
            PollInterval);
        Assert.Contains(cityId, listed.Items.Select(c => c.Id));

        // A later change adds no event and brings the delivered one back at most as a duplicate (as above).
        var updated = await _s.City(cityId).UpdateProfileAsync(Actor.Mayor(cityId), new UpdateCityProfile(Population: 130_000));
        Assert.Equal(130_000, updated.Population);
        Assert.Equal([committed.Version], fixture.Events.Of(EntityKind.City, cityId).Select(e => e.Version));
    }

    [Fact]
    public async Task A_submission_left_in_the_stored_outbox_by_a_dead_silo_is_redelivered_once_while_its_commission_endorses_it()
    {
        var country = fixture.NewCountry();
        var officer = Actor.Commission(country);
        var period = await _s.OpenPeriodAsync();
        var city = await _s.RegisterCityAsync(country);
        await _s.ApplyAsync(city.Id, period.Id);

        // The submission was delivered with one write of the application: its row still holds the notice, cleared
        // in memory only. Its silo dies before any later write, so the next activation inherits the notice.
        var application = _s.Application(period.Id, city.Id);
        var row = SharedGrainStorage.KeyOf("application", application.GetGrainId());
        Assert.True(fixture.Store.TryRead(row, out var stored, out _));
        var serializer = fixture.Cluster.GetSiloServiceProvider(fixture.Cluster.Silos[0].SiloAddress).GetRequiredService<IGrainStorageSerializer>();
        var storedState = serializer.Deserialize<ApplicationState>(stored);
        Assert.NotNull(storedState?.PendingSubmission);
        Assert.True(fixture.Cluster.TryGetGrainContext(application.GetGrainId(), out var context));
        var host = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(context!.Address.SiloAddress));
        await fixture.Cluster.KillSiloAsync(host, TestContext.Current.CancellationToken);
        await fixture.Cluster.StartAdditionalSiloAsync();
        await fixture.Cluster.WaitForLivenessToStabilizeAsync();

        // The commission's notice activates the application, which redelivers the submission to that commission
        // (busy with this very endorsement) off its turn: the endorsement completes and counts the submission once.
        var view = await _s.Commission(country).EndorseAsync(officer, period.Id, city.Id);
        var entry = Assert.Single(view.Items, i => i.CityId == city.Id);
        Assert.Equal(ApplicationStatus.Endorsed, entry.Status);
        Assert.Equal(1, view.EndorsedCount);
        Assert.Equal(ApplicationStatus.Endorsed, (await application.GetAsync(Actor.Mayor(city.Id))).Status);
        var again = await _s.Commission(country).GetApplicationsAsync(officer, period.Id);
        Assert.Equal(ApplicationStatus.Endorsed, Assert.Single(again.Items, i => i.CityId == city.Id).Status);
    }

    private static Task<IReadOnlyList<DomainEvent>> PollAsync(Func<IReadOnlyList<DomainEvent>> read) =>
        Poll.UntilAsync(() => Task.FromResult(read()), events => events.Count > 0, PollLimit, PollInterval);
}
