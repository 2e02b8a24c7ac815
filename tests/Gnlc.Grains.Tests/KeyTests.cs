using Gnlc.Actors;
using Gnlc.Cities;
using Gnlc.Grains.Tests.Infrastructure;
using Gnlc.Periods;
using static Gnlc.Grains.Tests.Infrastructure.Scenario;

namespace Gnlc.Grains.Tests;

/// <summary>
/// Regression for dotnet/orleans#9706 (hex-parsable string keys share a row in ADO.NET storage) and
/// #8746 (state names shared across grain classes): look-alike inputs keep separate state, or are
/// normalized on purpose, and no stored key is hex-parsable.
/// </summary>
[Collection(ClusterDefinition.Name)]
public sealed class KeyTests(ClusterFixture fixture)
{
    private readonly Scenario _s = new(fixture);

    [Fact]
    public async Task Numeric_look_alike_period_ids_keep_separate_state()
    {
        var id = Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var first = await _s.Registry.ScheduleAsync(Actor.Coordinator, new SchedulePeriod(id, await _s.NextSlotAsync(), Quota: 2));
        var second = await _s.Registry.ScheduleAsync(Actor.Coordinator, new SchedulePeriod("0" + id, await _s.NextSlotAsync(), Quota: 5));

        Assert.Equal((id, 2), ((await _s.Period(id).GetAsync()).Id, (await _s.Period(id).GetAsync()).Schedule.Quota));
        Assert.Equal(5, (await _s.Period("0" + id).GetAsync()).Schedule.Quota);
        Assert.NotEqual(first.Schedule.OpensAt, second.Schedule.OpensAt);
    }

    [Fact]
    public async Task Upper_and_lower_case_country_codes_are_one_commission_by_design()
    {
        var country = fixture.NewCountry();
        var period = await _s.OpenPeriodAsync();
        var city = await _s.RegisterCityAsync(country.ToUpperInvariant());
        Assert.Equal(country.ToLowerInvariant(), city.Country);
        await _s.ApplyAsync(city.Id, period.Id);

        var upper = await _s.Commission(country.ToUpperInvariant()).GetApplicationsAsync(Actor.Commission(country.ToUpperInvariant()), period.Id);
        var lower = await _s.Commission(country.ToLowerInvariant()).GetApplicationsAsync(Actor.Commission(country.ToLowerInvariant()), period.Id);
        Assert.Equal(upper.Items, lower.Items);
        Assert.Equal(upper.Version, lower.Version);
        Assert.Single(upper.Items);
    }

    [Fact]
    public async Task No_stored_grain_key_is_hex_parsable_and_every_grain_class_has_its_own_state_name()
    {
        var country = fixture.NewCountry();
        var period = await _s.OpenPeriodAsync();
        var city = await _s.RegisterCityAsync(country);
        await _s.ApplyAsync(city.Id, period.Id);

        var rows = fixture.Store.Keys.Select(k => (State: k[..k.IndexOf('|', StringComparison.Ordinal)], GrainId: GrainId.Parse(k[(k.IndexOf('|', StringComparison.Ordinal) + 1)..]))).ToList();
        Assert.All(rows, r => Assert.False(GrainKeys.IsHexParsable(r.GrainId.Key.ToString()!), r.GrainId.ToString()));
        var typesPerState = rows.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Select(r => r.GrainId.Type).Distinct().Count());
        Assert.All(typesPerState, pair => Assert.Equal(1, pair.Value));
        Assert.Contains("city", typesPerState.Keys);
        Assert.Contains("commission", typesPerState.Keys);
        Assert.Contains("application", typesPerState.Keys);
    }
}
