using Gnlc.Applications;
using Gnlc.Domain;
using Gnlc.Grains.Tests.Infrastructure;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.State;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Gnlc.Grains.Tests;

/// <summary>The period's tally of application statuses: its own row, written once per batch of concurrent notices.</summary>
[Collection(ClusterDefinition.Name)]
public sealed class PeriodTallyTests(ClusterFixture fixture)
{
    private readonly Scenario _s = new(fixture);

    [Fact]
    public async Task Concurrent_status_notices_from_every_silo_are_each_tallied_once_and_stored_before_they_are_acknowledged()
    {
        var period = await _s.OpenPeriodAsync();
        var before = await _s.Period(period.Id).GetAsync();
        var cities = Enumerable.Range(0, 60).Select(i => $"zz-city-{i:D2}").ToList();

        // Each city reports Submitted (version 2) and Endorsed (version 3), in any order, some twice, from every silo.
        var notices = cities.SelectMany(c => new[]
        {
            new ApplicationStatusNotice(period.Id, c, ApplicationStatus.Submitted, 2),
            new ApplicationStatusNotice(period.Id, c, ApplicationStatus.Endorsed, 3),
            new ApplicationStatusNotice(period.Id, c, ApplicationStatus.Endorsed, 3),
        }).OrderBy(_ => Random.Shared.Next()).ToList();
        var factories = fixture.SiloFactories;
        await Task.WhenAll(notices.Select((n, i) => factories[i % factories.Count].GetGrain<IPeriodInbox>(GrainKeys.Period(period.Id)).ApplyApplicationStatusAsync(n)));

        // Every acknowledged notice is in the stored row, not only in memory.
        var stored = await ReadStoredTallyAsync(period.Id);
        Assert.Equal(cities.Count, stored.Applications.Count);
        Assert.All(stored.Applications.Values, a => Assert.Equal((ApplicationStatus.Endorsed, 3L), (a.Status, a.Version)));

        var view = await _s.Period(period.Id).GetAsync();
        Assert.Equal(new PeriodCounts(0, cities.Count, 0, 0, 0, 0), view.Counts);
        Assert.True(view.Version > before.Version, $"{view.Version} > {before.Version}");
    }

    [Fact]
    public async Task A_tally_stored_in_the_period_row_before_it_had_its_own_row_is_carried_over()
    {
        var period = await _s.OpenPeriodAsync();
        var schedule = period.Schedule;

        // A period as stored before the tally had its own row: its statuses live in the period's row.
        var legacyId = Scenario.NewPeriodId();
        var legacy = new PeriodState
        {
            Schedule = schedule with { PeriodId = GrainKeys.PeriodId(legacyId) },
            AnnouncedPhase = PeriodPhase.Open,
            Version = 5,
            Applications = new Dictionary<string, TrackedApplication> { ["zz-old"] = new() { Status = ApplicationStatus.Forwarded, Version = 4 } },
        };
        await Storage().WriteStateAsync("period", PeriodGrainId(legacyId), new GrainState<PeriodState>(legacy));

        var grain = _s.Grains.GetGrain<IPeriodInbox>(GrainKeys.Period(legacyId));
        Assert.Equal(new PeriodCounts(0, 0, 1, 0, 0, 0), (await _s.Period(legacyId).GetAsync()).Counts);
        await grain.ApplyApplicationStatusAsync(new ApplicationStatusNotice(legacyId, "zz-old", ApplicationStatus.Submitted, 3));
        await grain.ApplyApplicationStatusAsync(new ApplicationStatusNotice(legacyId, "zz-new", ApplicationStatus.Submitted, 2));

        Assert.Equal(new PeriodCounts(1, 0, 1, 0, 0, 0), (await _s.Period(legacyId).GetAsync()).Counts);
        var stored = await ReadStoredTallyAsync(legacyId);
        Assert.Equal(ApplicationStatus.Forwarded, stored.Applications["zz-old"].Status);
        Assert.Equal(ApplicationStatus.Submitted, stored.Applications["zz-new"].Status);
    }

    private static GrainId PeriodGrainId(string periodId) => GrainId.Create("gnlc-period", GrainKeys.Period(periodId));

    private SharedGrainStorage Storage() =>
        new(fixture.Store, fixture.Cluster.GetSiloServiceProvider(fixture.Cluster.Silos[0].SiloAddress).GetRequiredService<IGrainStorageSerializer>());

    private async Task<PeriodTallyState> ReadStoredTallyAsync(string periodId)
    {
        var state = new GrainState<PeriodTallyState>(new PeriodTallyState());
        await Storage().ReadStateAsync("period-tally", PeriodGrainId(periodId), state);
        Assert.True(state.RecordExists);
        return state.State!;
    }
}
