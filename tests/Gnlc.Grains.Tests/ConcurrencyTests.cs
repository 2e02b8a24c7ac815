using System.Collections.Concurrent;
using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Errors;
using Gnlc.Grains.Tests.Infrastructure;
using Gnlc.Periods;
using static Gnlc.Grains.Tests.Infrastructure.Scenario;

namespace Gnlc.Grains.Tests;

[Collection(ClusterDefinition.Name)]
public sealed class ConcurrencyTests(ClusterFixture fixture)
{
    private readonly Scenario _s = new(fixture);

    [Fact]
    public async Task A_hundred_concurrent_endorsements_from_every_silo_accept_exactly_the_quota_of_three()
    {
        var country = fixture.NewCountry();
        var officer = Actor.Commission(country);
        var period = await _s.OpenPeriodAsync();
        var cities = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _s.RegisterCityAsync(country)));
        await Task.WhenAll(cities.Select(c => _s.ApplyAsync(c.Id, period.Id)));

        var factories = fixture.SiloFactories;
        Assert.Equal(3, factories.Count);
        var accepted = new ConcurrentBag<string>();
        var refused = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            var city = cities[i % cities.Length].Id;
            var commission = factories[i % factories.Count].GetGrain<Commissions.INationalCommissionGrain>(GrainKeys.Commission(country));
            try
            {
                await commission.EndorseAsync(officer, period.Id, city);
                accepted.Add(city);
            }
            catch (DomainException exception)
            {
                refused.Add(exception.Code);
            }
        }));

        var endorsedCities = accepted.Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, endorsedCities.Count);
        Assert.All(refused, code => Assert.Equal(ErrorCodes.QuotaExceeded, code));
        Assert.Equal(100, accepted.Count + refused.Count);

        var view = await _s.Commission(country).GetApplicationsAsync(officer, period.Id);
        Assert.Equal(3, view.EndorsedCount);
        Assert.Equal(endorsedCities, view.Items.Where(i => i.Status == ApplicationStatus.Endorsed).Select(i => i.CityId).Order(StringComparer.Ordinal));
        var statuses = await Task.WhenAll(cities.Select(c => _s.Application(period.Id, c.Id).GetAsync(Actor.Coordinator)));
        Assert.Equal(endorsedCities, statuses.Where(a => a.Status == ApplicationStatus.Endorsed).Select(a => a.CityId).Order(StringComparer.Ordinal));
        Assert.Equal(new PeriodCounts(7, 3, 0, 0, 0, 0), (await _s.Period(period.Id).GetAsync()).Counts);
    }

    [Fact]
    public async Task Concurrent_scheduling_cannot_break_the_two_year_cadence_or_overlap()
    {
        var slot = await _s.NextSlotAsync();
        var sameInstant = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => TryScheduleAsync(new SchedulePeriod(NewPeriodId(), slot))));
        Assert.Single(sameInstant, r => r.View is not null);
        Assert.All(sameInstant.Where(r => r.View is null), r => Assert.Contains(r.Code, new[] { ErrorCodes.PeriodOverlap, ErrorCodes.PeriodCadence }));

        var next = await _s.NextSlotAsync();
        var staggered = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => TryScheduleAsync(new SchedulePeriod(NewPeriodId(), next.AddMonths(9 * i)))));
        var opened = staggered.Where(r => r.View is not null).Select(r => r.View!.Schedule).OrderBy(s => s.OpensAt).ToList();
        Assert.NotEmpty(opened);
        var all = (await _s.Registry.ListAsync()).Select(v => v.Schedule).OrderBy(s => s.OpensAt).ToList();
        foreach (var (earlier, later) in all.Zip(all.Skip(1)))
        {
            Assert.True(later.OpensAt >= earlier.OpensAt.AddYears(2), $"{later.PeriodId} opens too soon after {earlier.PeriodId}");
            Assert.True(later.OpensAt >= earlier.EndorsementDeadline, $"{later.PeriodId} overlaps {earlier.PeriodId}");
        }
    }

    private async Task<(PeriodView? View, string? Code)> TryScheduleAsync(SchedulePeriod command)
    {
        try
        {
            return (await _s.Registry.ScheduleAsync(Actor.Coordinator, command), null);
        }
        catch (DomainException exception)
        {
            return (null, exception.Code);
        }
    }
}
