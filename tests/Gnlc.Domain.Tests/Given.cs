using System.Collections.Immutable;
using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Errors;
using Gnlc.Periods;
using Gnlc.State;

namespace Gnlc.Domain.Tests;

/// <summary>Builders of the states and inputs the rules are tested on.</summary>
internal static class Given
{
    public static readonly DateTimeOffset Now = new(2025, 5, 15, 9, 0, 0, TimeSpan.Zero);

    public static Actor Coordinator => Actor.Coordinator;

    public static PeriodSchedule Schedule(string id = "2025", DateTimeOffset? opensAt = null, int? quota = null) =>
        PeriodRules.ScheduleFor(new SchedulePeriod(id, opensAt ?? Now, Quota: quota), opensAt ?? Now);

    public static CityState Candidate(string name = "Dublin", string country = "IE", long population = 592_713)
    {
        var id = GrainKeys.NewCityId(country, name);
        return CityRules.Register(new CityState { Id = id }, id, Coordinator, new RegisterCity(name, country, population, "Mayor of " + name), Now);
    }

    public static CityState Member(string name = "Dublin", string country = "IE", DateTimeOffset? since = null)
    {
        var city = Candidate(name, country);
        return CityRules.Admit(city, new Notices.AdmissionNotice("2023", city.Id, since ?? Now));
    }

    public static CityView View(CityState state) => CityRules.View(state);

    public static ApplicationForm CompleteForm(long population = 592_713) => new(
        population,
        new FocalPoint("Aoife Byrne", "aoife@dublin.example"),
        "We want to be a learning city.",
        new BuildingBlocks("a", "b", "c", "d", "e", "f"),
        new FundamentalConditions("g", "h", "i"));

    public static ApplicationState Draft(CityState city, PeriodSchedule schedule, ApplicationForm? form = null) =>
        ApplicationRules.SaveDraft(new ApplicationState(), schedule.PeriodId, View(city), Actor.Mayor(city.Id), form ?? CompleteForm(), schedule, Now);

    public static ApplicationState EndorsedDraft(CityState city, PeriodSchedule schedule) =>
        ApplicationRules.EndorseAsMayor(Draft(city, schedule), Actor.Mayor(city.Id), "I endorse this application.", Now);

    public static ApplicationState Submitted(CityState city, PeriodSchedule schedule) =>
        ApplicationRules.Submit(EndorsedDraft(city, schedule), Actor.Mayor(city.Id), schedule, View(city), Now);

    /// <summary>A commission of <paramref name="country"/> that received the submissions of <paramref name="cityIds"/>.</summary>
    public static CommissionState CommissionWith(PeriodSchedule schedule, string country, params string[] cityIds)
    {
        var state = new CommissionState();
        foreach (var cityId in cityIds)
        {
            state = CommissionRules.ReceiveSubmission(state, country, new Notices.SubmissionNotice(schedule.PeriodId, cityId, cityId, Now, schedule, 2), Now);
        }

        return state;
    }

    public static DomainException Refusal(Action action)
    {
        var exception = Assert.Throws<DomainException>(action);
        return exception;
    }

    public static void Refused(ErrorKind kind, string code, Action action)
    {
        var exception = Assert.Throws<DomainException>(action);
        Assert.Equal(code, exception.Code);
        Assert.Equal(kind, exception.Kind);
    }

    public static ImmutableDictionary<string, string> NoFeatures => ImmutableDictionary<string, string>.Empty;
}
