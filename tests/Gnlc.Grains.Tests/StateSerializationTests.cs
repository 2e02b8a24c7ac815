using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Domain;
using Gnlc.Grains.Tests.Infrastructure;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace Gnlc.Grains.Tests;

/// <summary>Persisted state is a schema: every state type round-trips through the silo's grain storage serializer.</summary>
[Collection(ClusterDefinition.Name)]
public sealed class StateSerializationTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2025, 5, 15, 9, 0, 0, TimeSpan.Zero);

    private IServiceProvider Silo => fixture.Cluster.GetSiloServiceProvider(fixture.Cluster.Silos[0].SiloAddress);

    private IEnumerable<IGrainStorageSerializer> Serializers => StorageSerializers.Of(Silo);

    [Fact]
    public void City_state_round_trips()
    {
        var city = CityRules.Register(new CityState(), "ie-dublin", Actor.Coordinator, new RegisterCity("Dublin", "IE", 500_000, "Mayor"), Now);
        city = CityRules.Admit(city, new AdmissionNotice("2025", "ie-dublin", Now));
        city = CityRules.GrantAward(city, Actor.Coordinator, new GrantAward(2025, "Citation"), Now);
        city = CityRules.FileProgressReport(city, Actor.Mayor("ie-dublin"), new FileProgressReport("Summary", new Dictionary<string, string> { ["1.1"] = "x" }), Now.AddYears(1));
        AssertRoundTrips(city, c => (c.Id, c.Status, c.Version, c.Awards.Count, c.Reports.Count, c.PendingEvents.Count, c.PendingSummary!.Awards.Count, c.Reports[0].KeyFeatures["1.1"]));
    }

    [Fact]
    public void Application_commission_period_and_registry_states_round_trip()
    {
        var schedule = PeriodRules.ScheduleFor(new SchedulePeriod("2025", Now), Now);
        var city = new CityView("ie-dublin", "Dublin", "ie", 1, "Mayor", CityStatus.Candidate, null, [], null, [], [], null, 1);
        var application = ApplicationRules.SaveDraft(new ApplicationState(), "2025", city, Actor.Mayor("ie-dublin"), Scenario.CompleteForm(), schedule, Now);
        application = ApplicationRules.EndorseAsMayor(application, Actor.Mayor("ie-dublin"), "Yes", Now);
        application = ApplicationRules.Submit(application, Actor.Mayor("ie-dublin"), schedule, city, Now);
        AssertRoundTrips(application, a => (a.Status, a.Form, a.MayorEndorsement, a.PendingSubmission, a.PendingPeriodStatus, a.PendingEvents.Count));

        var commission = CommissionRules.ReceiveSubmission(new CommissionState(), "ie", application.PendingSubmission!, Now);
        commission = CommissionRules.Endorse(commission, "ie", Actor.Commission("ie"), "2025", "ie-dublin", Now);
        AssertRoundTrips(commission, c => (c.Periods["2025"].Schedule, c.Periods["2025"].Applications["ie-dublin"].Status, c.PendingNotices.Single().Value));

        var registry = PeriodCalendar.Schedule(new PeriodRegistryState(), Actor.Coordinator, new SchedulePeriod("2025", Now), Now);
        AssertRoundTrips(registry, r => (r.Periods["2025"], r.PendingSchedules["2025"]));

        var period = PeriodRules.ApplySchedule(new PeriodState(), registry.PendingSchedules["2025"], Now);
        AssertRoundTrips(period, p => (p.Schedule, p.AnnouncedPhase, p.PendingEvents.Count));
        var tally = PeriodRules.ApplyApplicationStatus(new PeriodTallyState(), application.PendingPeriodStatus!);
        AssertRoundTrips(tally, t => (t.Version, t.Applications["ie-dublin"].Status, t.Applications["ie-dublin"].Version));
    }

    [Fact]
    public void Directory_network_index_and_clock_states_round_trip()
    {
        var summary = new Network.CitySummary("ie-dublin", "Dublin", "ie", CityStatus.Member, 5, Now, new List<Award> { new(2025, "c", Now) }, 3);
        var shard = DirectoryRules.Upsert(new DirectoryShardState(), summary);
        AssertRoundTrips(shard, s => (s.Cities["ie-dublin"].Awards[0], s.Cities["ie-dublin"].Status, s.Version));
        AssertRoundTrips(new DeadlineIndexState { Entries = new Dictionary<string, DateTimeOffset> { ["city/ie-dublin"] = Now } }, i => i.Entries["city/ie-dublin"]);
        AssertRoundTrips(new ClockState { Offset = TimeSpan.FromDays(3) }, c => c.Offset);
    }

    private void AssertRoundTrips<T, TKey>(T state, Func<T, TKey> key)
    {
        foreach (var serializer in Serializers)
        {
            var copy = serializer.Deserialize<T>(serializer.Serialize(state))!;
            Assert.NotNull(copy);
            Assert.Equal(key(state), key(copy));
        }
    }
}
