using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Commissions;
using Gnlc.Periods;
using Gnlc.Time;

namespace Gnlc.Api.Tests.Events;

/// <summary>The steps of a membership cycle, called on the grains through the Api's cluster client.</summary>
public sealed class MembershipCycle(IClusterClient grains)
{
    public IClockGrain Clock => grains.GetGrain<IClockGrain>(GrainKeys.Clock);

    public IPeriodRegistryGrain Registry => grains.GetGrain<IPeriodRegistryGrain>(GrainKeys.PeriodRegistry);

    public ICityGrain City(string cityId) => grains.GetGrain<ICityGrain>(cityId);

    public IApplicationGrain Application(string periodId, string cityId) => grains.GetGrain<IApplicationGrain>(GrainKeys.Application(periodId, cityId));

    public INationalCommissionGrain Commission(string country) => grains.GetGrain<INationalCommissionGrain>(GrainKeys.Commission(country));

    public IApplicationPeriodGrain Period(string periodId) => grains.GetGrain<IApplicationPeriodGrain>(GrainKeys.Period(periodId));

    public static ApplicationForm CompleteForm() => new(
        250_000,
        new FocalPoint("Focal Point", "focal@city.example"),
        "Learning for all.",
        new BuildingBlocks("a", "b", "c", "d", "e", "f"),
        new FundamentalConditions("g", "h", "i"));

    /// <summary>Moves the test clock past every earlier period and schedules one that is open at once.</summary>
    public async Task<PeriodView> OpenPeriodAsync()
    {
        var now = await Clock.GetNowAsync();
        var periods = await Registry.ListAsync();
        var slot = periods
            .Select(p => Later(p.Schedule.OpensAt.AddYears(2), p.Schedule.EndorsementDeadline))
            .Append(now)
            .Max()
            .AddMinutes(1);
        if (slot > now)
        {
            now = (await Clock.AdvanceAsync(slot - now)).Now;
        }

        var id = "p" + Guid.NewGuid().ToString("N")[..10];
        return await Registry.ScheduleAsync(Actor.Coordinator, new SchedulePeriod(id, now));
    }

    public Task<CityView> RegisterCityAsync(string country, string name) =>
        City(GrainKeys.NewCityId(country, name)).RegisterAsync(Actor.Coordinator, new RegisterCity(name, country, 250_000, "Mayor", null));

    /// <summary>Draft, the mayor's endorsement, submission.</summary>
    public async Task<ApplicationView> ApplyAsync(string cityId, string periodId)
    {
        var application = Application(periodId, cityId);
        await application.SaveDraftAsync(Actor.Mayor(cityId), CompleteForm());
        await application.EndorseAsMayorAsync(Actor.Mayor(cityId), "The city commits to becoming a learning city.");
        return await application.SubmitAsync(Actor.Mayor(cityId));
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
