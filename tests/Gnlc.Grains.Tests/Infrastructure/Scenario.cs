using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Commissions;
using Gnlc.Errors;
using Gnlc.Network;
using Gnlc.Periods;
using Gnlc.Time;

namespace Gnlc.Grains.Tests.Infrastructure;

/// <summary>Steps of the membership cycle, with fresh keys for every test.</summary>
public sealed class Scenario(ClusterFixture fixture)
{
    public IGrainFactory Grains => fixture.Client;

    public IClockGrain Clock => Grains.GetGrain<IClockGrain>(GrainKeys.Clock);

    public IPeriodRegistryGrain Registry => Grains.GetGrain<IPeriodRegistryGrain>(GrainKeys.PeriodRegistry);

    public IDirectoryGrain Directory => Grains.GetGrain<IDirectoryGrain>(GrainKeys.Directory);

    public static string NewPeriodId() => "p" + Guid.NewGuid().ToString("N")[..10];

    public static ApplicationForm CompleteForm() => new(
        250_000,
        new FocalPoint("Focal Point", "focal@city.example"),
        "Learning for all.",
        new BuildingBlocks("a", "b", "c", "d", "e", "f"),
        new FundamentalConditions("g", "h", "i"));

    public Task<DateTimeOffset> NowAsync() => Clock.GetNowAsync();

    /// <summary>The first instant a new period may open: two years after every earlier opening, after every deadline.</summary>
    public async Task<DateTimeOffset> NextSlotAsync()
    {
        var now = await NowAsync();
        var periods = await Registry.ListAsync();
        var slot = periods.Select(p => Max(p.Schedule.OpensAt.AddYears(2), p.Schedule.EndorsementDeadline)).Append(now).Max();
        return slot.AddMinutes(1);
    }

    /// <summary>Moves the test clock to the next free slot and schedules a period that opens then (Open at once).</summary>
    public async Task<PeriodView> OpenPeriodAsync(int? quota = null)
    {
        var slot = await NextSlotAsync();
        var now = await NowAsync();
        if (slot > now)
        {
            now = (await Clock.AdvanceAsync(slot - now)).Now;
        }

        return await Registry.ScheduleAsync(Actor.Coordinator, new SchedulePeriod(NewPeriodId(), now, Quota: quota));
    }

    public ICityGrain City(string cityId) => Grains.GetGrain<ICityGrain>(cityId);

    public IApplicationGrain Application(string periodId, string cityId) => Grains.GetGrain<IApplicationGrain>(GrainKeys.Application(periodId, cityId));

    public INationalCommissionGrain Commission(string country) => Grains.GetGrain<INationalCommissionGrain>(GrainKeys.Commission(country));

    public IApplicationPeriodGrain Period(string periodId) => Grains.GetGrain<IApplicationPeriodGrain>(GrainKeys.Period(periodId));

    public Task<CityView> RegisterCityAsync(string country, string? name = null, long population = 250_000, DateTimeOffset? memberSince = null)
    {
        name ??= "City " + Guid.NewGuid().ToString("N")[..8];
        return City(GrainKeys.NewCityId(country, name)).RegisterAsync(Actor.Coordinator, new RegisterCity(name, country, population, "Mayor", memberSince));
    }

    /// <summary>The representative the mayor endorses in <see cref="ApplyAsync"/>.</summary>
    public const string Delegate = "Delegate";

    /// <summary>The mayor endorses a delegate, who drafts; the mayor endorses the application; the delegate submits.</summary>
    public async Task<ApplicationView> ApplyAsync(string cityId, string periodId)
    {
        var application = Application(periodId, cityId);
        await City(cityId).EndorseRepresentativeAsync(Actor.Mayor(cityId), Delegate);
        await application.SaveDraftAsync(Actor.Representative(cityId, Delegate), CompleteForm());
        await application.EndorseAsMayorAsync(Actor.Mayor(cityId), "The city commits to becoming a learning city.");
        return await application.SubmitAsync(Actor.Representative(cityId, Delegate));
    }

    public static async Task<DomainException> RefusedAsync(string code, Func<Task> action)
    {
        var exception = await Assert.ThrowsAsync<DomainException>(action);
        Assert.Equal(code, exception.Code);
        return exception;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
