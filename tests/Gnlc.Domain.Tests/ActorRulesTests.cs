using Gnlc.Actors;
using Gnlc.Applications;
using Gnlc.Cities;
using Gnlc.Errors;
using Gnlc.Periods;
using Gnlc.State;
using static Gnlc.Domain.Tests.Given;

namespace Gnlc.Domain.Tests;

/// <summary>
/// DOMAIN.md "Actors": every command refuses every caller the table does not name, with the refusal's
/// own code. Each row is one command and one caller who may not issue it.
/// </summary>
public class ActorRulesTests
{
    private static readonly PeriodSchedule Period = Schedule();
    private const string Deputy = "Deputy";
    private static readonly CityState City = CityRules.EndorseRepresentative(Candidate(), Actor.Mayor(Candidate().Id), Deputy);
    private static readonly CityState MemberCity = CityRules.EndorseRepresentative(Member("Cork"), Actor.Mayor(Member("Cork").Id), Deputy);

    public static TheoryData<string, string> CoordinatorCommands()
    {
        var data = new TheoryData<string, string>();
        foreach (var command in CoordinatorOnly.Keys)
        {
            foreach (var caller in new[] { "commission", "mayor", "representative" })
            {
                data.Add(command, caller);
            }
        }

        return data;
    }

    private static readonly Dictionary<string, Action<Actor>> CoordinatorOnly = new()
    {
        ["register city"] = a => CityRules.Register(new CityState(), "ie-dublin", a, new RegisterCity("Dublin", "IE", 1, "Mayor"), Now),
        ["schedule period"] = a => PeriodCalendar.Schedule(new PeriodRegistryState(), a, new Gnlc.Periods.SchedulePeriod("2025", Now), Now),
        ["record past period"] = a => PeriodCalendar.RecordPast(new PeriodRegistryState(), a, new Gnlc.Periods.SchedulePeriod("2023", Now.AddYears(-1)), Now),
        ["reschedule period"] = a => PeriodCalendar.Reschedule(new PeriodRegistryState(), a, new Gnlc.Periods.SchedulePeriod("2025", Now), Now),
        ["decide application"] = a => ApplicationRules.Decide(Submitted(City, Period), a, new DecideApplication(Decision.Admit, "ok"), PeriodPhase.Review, Now),
        ["suspend membership"] = a => CityRules.Suspend(MemberCity, a, "reason", Now),
        ["end membership"] = a => CityRules.EndMembership(MemberCity, a, "reason", Now),
        ["grant award"] = a => CityRules.GrantAward(MemberCity, a, new GrantAward(2025, "citation"), Now),
        ["close period"] = a => PeriodRules.Close(new PeriodState { Schedule = Period }, new PeriodTallyState(), "2025", a, Period.EndorsementDeadline),
    };

    [Theory]
    [MemberData(nameof(CoordinatorCommands))]
    public void Only_the_coordinator_registers_schedules_decides_suspends_ends_awards_and_closes(string command, string caller) =>
        Refused(ErrorKind.Forbidden, ErrorCodes.CoordinatorOnly, () => CoordinatorOnly[command](CallerNamed(caller)));

    [Fact]
    public void The_coordinator_itself_passes_the_check_of_every_coordinator_command()
    {
        foreach (var (command, run) in CoordinatorOnly)
        {
            try
            {
                run(Coordinator);
            }
            catch (DomainException exception)
            {
                Assert.True(exception.Kind != ErrorKind.Forbidden, $"{command}: {exception.Code}");
            }
        }
    }

    [Fact]
    public void A_commission_endorses_withdraws_forwards_and_reads_only_for_its_own_country()
    {
        var state = CommissionWith(Period, "ie", "ie-a");
        var endorsed = CommissionRules.Endorse(state, "ie", Actor.Commission("IE"), "2025", "ie-a", Now);
        Action<Actor>[] commands =
        [
            a => CommissionRules.Endorse(state, "ie", a, "2025", "ie-a", Now),
            a => CommissionRules.Withdraw(endorsed, "ie", a, "2025", "ie-a", Now),
            a => CommissionRules.Forward(endorsed, "ie", a, "2025", Period.ClosesAt),
            a => CommissionRules.View(state, "ie", a, "2025", Period),
        ];
        foreach (var command in commands)
        {
            Refused(ErrorKind.Forbidden, ErrorCodes.NotYourCountry, () => command(Actor.Commission("FR")));
            Refused(ErrorKind.Forbidden, ErrorCodes.CommissionOnly, () => command(Actor.Mayor("ie-a")));
            Refused(ErrorKind.Forbidden, ErrorCodes.CommissionOnly, () => command(Actor.Representative("ie-a", Deputy)));
        }

        // Endorse, withdraw and forward belong to the commission alone; the coordinator may only read.
        foreach (var command in commands[..3])
        {
            Refused(ErrorKind.Forbidden, ErrorCodes.CommissionOnly, () => command(Coordinator));
        }

        Assert.NotNull(CommissionRules.View(state, "ie", Coordinator, "2025", Period));
    }

    public static TheoryData<string> CityCommandNames() => [.. CityCommands.Keys];

    private static readonly Dictionary<string, Action<Actor>> CityCommands = new()
    {
        ["save draft"] = a => ApplicationRules.SaveDraft(new ApplicationState(), "2025", View(City), a, CompleteForm(), Period, Now),
        ["endorse application"] = a => ApplicationRules.EndorseAsMayor(Draft(City, Period), a, "yes", Now),
        ["submit"] = a => ApplicationRules.Submit(EndorsedDraft(City, Period), a, Period, View(City), Now),
        ["update profile"] = a => CityRules.UpdateProfile(City, a, new UpdateCityProfile(Population: 2)),
        ["endorse representative"] = a => CityRules.EndorseRepresentative(City, a, "Deputy"),
        ["file progress report"] = a => CityRules.FileProgressReport(MemberCity with { Id = City.Id }, a, new FileProgressReport("Report"), Now),
    };

    [Theory]
    [MemberData(nameof(CityCommandNames))]
    public void A_city_acts_only_for_itself_and_no_other_role_acts_for_it(string command)
    {
        var run = CityCommands[command];
        Refused(ErrorKind.Forbidden, ErrorCodes.NotYourCity, () => run(Actor.Mayor("ie-cork")));
        Refused(ErrorKind.Forbidden, ErrorCodes.NotYourCity, () => run(Actor.Representative("ie-cork", Deputy)));
        Refused(ErrorKind.Forbidden, ErrorCodes.CityOnly, () => run(Coordinator));
        Refused(ErrorKind.Forbidden, ErrorCodes.CityOnly, () => run(Actor.Commission("IE")));
        Refused(ErrorKind.Forbidden, ErrorCodes.CityOnly, () => run(new Actor(ActorRole.City, CityId: City.Id)));
    }

    [Theory]
    [InlineData("save draft")]
    [InlineData("submit")]
    [InlineData("update profile")]
    [InlineData("file progress report")]
    public void The_mayor_and_an_endorsed_representative_both_edit_submit_and_report(string command)
    {
        CityCommands[command](Actor.Mayor(City.Id));
        CityCommands[command](Actor.Representative(City.Id, Deputy));
    }

    [Theory]
    [InlineData("endorse application")]
    [InlineData("endorse representative")]
    public void Only_the_mayor_endorses_an_application_or_a_representative(string command)
    {
        Refused(ErrorKind.Forbidden, ErrorCodes.MayorOnly, () => CityCommands[command](Actor.Representative(City.Id, Deputy)));
        CityCommands[command](Actor.Mayor(City.Id));
    }

    private static Actor CallerNamed(string caller) => caller switch
    {
        "commission" => Actor.Commission("IE"),
        "mayor" => Actor.Mayor(MemberCity.Id),
        _ => Actor.Representative(MemberCity.Id, Deputy),
    };
}
