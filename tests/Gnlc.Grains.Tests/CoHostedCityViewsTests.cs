using Gnlc.Actors;
using Gnlc.Cities;
using Gnlc.Errors;
using Gnlc.Grains.Tests.Infrastructure;
using Orleans.Storage;
using static Gnlc.Grains.Tests.Infrastructure.Scenario;

namespace Gnlc.Grains.Tests;

/// <summary>The registry itself: what is published, replaced and withdrawn.</summary>
public sealed class CityViewRegistryTests
{
    [Fact]
    public void A_published_view_is_found_until_it_is_withdrawn()
    {
        var registry = new CityViewRegistry();
        var view = View("ie-cork", version: 1);
        Assert.False(registry.TryGet("ie-cork", out _));

        var published = registry.Publish(view);
        Assert.True(registry.TryGet("ie-cork", out var found));
        Assert.Same(view, found);
        Assert.False(registry.TryGet("ie-galway", out _));

        registry.Withdraw(published);
        Assert.False(registry.TryGet("ie-cork", out _));
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void A_later_publication_replaces_the_view_and_an_earlier_withdrawal_leaves_it()
    {
        var registry = new CityViewRegistry();
        var first = registry.Publish(View("ie-cork", version: 1));
        var newer = View("ie-cork", version: 1);
        Assert.Equal(first.View, newer);
        registry.Publish(newer);
        Assert.True(registry.TryGet("ie-cork", out var found));
        Assert.Same(newer, found);

        // An old activation's withdrawal never takes the next activation's view, even one of equal content.
        registry.Withdraw(first);
        Assert.True(registry.TryGet("ie-cork", out found));
        Assert.Same(newer, found);
    }

    private static CityView View(string id, long version) =>
        new(id, "Cork", "IE", 210_000, "Mayor", CityStatus.Candidate, null, [], null, [], [], null, version);
}

/// <summary>
/// City grains on a silo with the co-hosted registry (the embedded deployment): the view found there is the committed
/// one after every kind of change, never one whose write failed, and it is withdrawn with the activation.
/// </summary>
public sealed class CoHostedCityViewsTests(CoHostedSiloFixture fixture) : IClassFixture<CoHostedSiloFixture>
{
    private readonly Scenario _s = new(fixture);

    [Fact]
    public async Task Each_acknowledged_command_has_published_its_view_before_it_returns()
    {
        var city = await _s.RegisterCityAsync(fixture.NewCountry(), memberSince: (await _s.NowAsync()).AddYears(-1));
        AssertPublished(city);

        var updated = await _s.City(city.Id).UpdateProfileAsync(Actor.Mayor(city.Id), new UpdateCityProfile(Population: 300_000));
        AssertPublished(updated);
        Assert.Equal(300_000, Published(city.Id).Population);

        var endorsed = await _s.City(city.Id).EndorseRepresentativeAsync(Actor.Mayor(city.Id), "Ann");
        AssertPublished(endorsed);
        Assert.Equal(["Ann"], Published(city.Id).Representatives);

        var awarded = await _s.City(city.Id).GrantAwardAsync(Actor.Coordinator, new GrantAward(2025, "For learning"));
        AssertPublished(awarded);
        Assert.Single(Published(city.Id).Awards);

        var suspended = await _s.City(city.Id).SuspendAsync(Actor.Coordinator, "No report");
        AssertPublished(suspended);
        Assert.Equal(CityStatus.Suspended, Published(city.Id).Status);
    }

    [Fact]
    public async Task A_refused_command_leaves_the_published_view()
    {
        var city = await _s.RegisterCityAsync(fixture.NewCountry());
        await RefusedAsync(ErrorCodes.InvalidPopulation, () => _s.City(city.Id).UpdateProfileAsync(Actor.Mayor(city.Id), new UpdateCityProfile(Population: -1)));
        Assert.Equal(city.Version, Published(city.Id).Version);
        Assert.Equal(city.Population, Published(city.Id).Population);
    }

    [Fact]
    public async Task A_write_that_fails_publishes_nothing_and_the_next_activation_publishes_what_is_stored()
    {
        var city = await _s.RegisterCityAsync(fixture.NewCountry());
        // Someone else's write moves the stored ETag: the grain's next write fails and its change is not committed.
        var key = SharedGrainStorage.KeyOf("city", _s.City(city.Id).GetGrainId());
        Assert.True(fixture.Store.TryRead(key, out var row, out var etag));
        fixture.Store.Write(key, row, etag);

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => _s.City(city.Id).UpdateProfileAsync(Actor.Mayor(city.Id), new UpdateCityProfile(Population: 1_000)));
        if (fixture.Views.TryGet(city.Id, out var meanwhile))
        {
            Assert.Equal(city.Version, meanwhile.Version);
        }

        var read = await _s.City(city.Id).GetAsync();
        Assert.Equal(city.Version, read.Version);
        Assert.Equal(city.Population, read.Population);
        AssertPublished(read);
    }

    [Fact]
    public async Task A_deadline_that_changes_the_state_publishes_the_new_view()
    {
        var now = await _s.NowAsync();
        var city = await _s.RegisterCityAsync(fixture.NewCountry(), memberSince: now.AddYears(-2).AddHours(1));
        Assert.Equal(CityStatus.Member, Published(city.Id).Status);

        // The test clock processes due deadlines before it answers, as the reminder does when it fires.
        await _s.Clock.AdvanceAsync(TimeSpan.FromHours(2));

        var overdue = Published(city.Id);
        Assert.Equal(CityStatus.ReportOverdue, overdue.Status);
        Assert.True(overdue.Version > city.Version);
        Assert.Equal(overdue.Version, (await _s.City(city.Id).GetAsync()).Version);
    }

    [Fact]
    public async Task Deactivation_withdraws_the_view_and_the_next_activation_publishes_the_stored_one()
    {
        var city = await _s.RegisterCityAsync(fixture.NewCountry());
        var updated = await _s.City(city.Id).UpdateProfileAsync(Actor.Mayor(city.Id), new UpdateCityProfile(Mayor: "New Mayor"));
        AssertPublished(updated);

        await _s.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        Assert.False(fixture.Views.TryGet(city.Id, out _));

        // Activation (here by a read) loads the committed state and publishes it.
        var read = await _s.City(city.Id).GetAsync();
        Assert.Equal(updated.Version, read.Version);
        AssertPublished(read);
        Assert.Equal("New Mayor", Published(city.Id).Mayor);
    }

    [Fact]
    public async Task An_unregistered_city_publishes_nothing()
    {
        var cityId = GrainKeys.NewCityId(fixture.NewCountry(), "Nowhere " + Guid.NewGuid().ToString("N")[..8]);
        await RefusedAsync(ErrorCodes.CityNotFound, () => _s.City(cityId).GetAsync());
        Assert.False(fixture.Views.TryGet(cityId, out _));
    }

    private CityView Published(string cityId)
    {
        Assert.True(fixture.Views.TryGet(cityId, out var view), $"a view of {cityId} is published");
        return view;
    }

    private void AssertPublished(CityView answered)
    {
        var published = Published(answered.Id);
        Assert.Equal(answered.Version, published.Version);
        Assert.Equal(answered.Status, published.Status);
        Assert.Equal(answered.Population, published.Population);
        Assert.Equal(answered.Mayor, published.Mayor);
    }
}
