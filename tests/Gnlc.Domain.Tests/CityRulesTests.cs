using Gnlc.Actors;
using Gnlc.Cities;
using Gnlc.Errors;
using Gnlc.Events;
using Gnlc.Notices;
using Gnlc.State;
using static Gnlc.Domain.Tests.Given;

namespace Gnlc.Domain.Tests;

public class CityRulesTests
{
    private static readonly RegisterCity Dublin = new("Dublin", "IE", 592_713, "Mayor of Dublin");

    [Fact]
    public void The_coordinator_registers_a_candidate_city_with_its_event_and_directory_summary()
    {
        var city = Candidate();
        Assert.Equal(CityStatus.Candidate, city.Status);
        Assert.Equal("ie", city.Country);
        var evt = Assert.Single(city.PendingEvents);
        Assert.Equal(DomainEventType.CityRegistered, evt.Type);
        Assert.Equal(city.Version, evt.Version);
        Assert.Equal(city.Version, city.PendingSummary!.Version);
    }

    [Fact]
    public void Only_the_coordinator_registers_cities() =>
        Refused(ErrorKind.Forbidden, ErrorCodes.CoordinatorOnly, () => CityRules.Register(new CityState(), "ie-dublin", Actor.Commission("IE"), Dublin, Now));

    [Fact]
    public void A_city_must_lie_in_a_member_state() =>
        Refused(ErrorKind.Validation, ErrorCodes.UnknownMemberState, () => CityRules.Register(new CityState(), "xx-dublin", Coordinator, Dublin with { CountryCode = "XX" }, Now));

    [Theory]
    [InlineData("", 1, "Mayor", ErrorCodes.InvalidCityName)]
    [InlineData("Dublin", 0, "Mayor", ErrorCodes.InvalidPopulation)]
    [InlineData("Dublin", 1, " ", ErrorCodes.InvalidMayor)]
    public void Registration_fields_are_validated(string name, long population, string mayor, string code) =>
        Refused(ErrorKind.Validation, code, () => CityRules.Register(new CityState(), "ie-dublin", Coordinator, new RegisterCity(name, "IE", population, mayor), Now));

    [Fact]
    public void The_key_must_be_the_id_of_the_name() =>
        Refused(ErrorKind.Validation, ErrorCodes.CityIdMismatch, () => CityRules.Register(new CityState(), "ie-cork", Coordinator, Dublin, Now));

    [Fact]
    public void Registering_the_same_city_again_is_idempotent_and_a_different_one_conflicts()
    {
        var city = Candidate();
        Assert.Same(city, CityRules.Register(city, city.Id, Coordinator, Dublin, Now));
        Refused(ErrorKind.Conflict, ErrorCodes.CityAlreadyRegistered, () => CityRules.Register(city, city.Id, Coordinator, Dublin with { Population = 1 }, Now));
    }

    [Fact]
    public void An_imported_member_is_next_due_on_the_first_two_year_step_still_ahead()
    {
        var since = Now.AddYears(-5);
        var city = CityRules.Register(new CityState(), "ie-dublin", Coordinator, Dublin with { MemberSince = since }, Now);
        Assert.Equal(CityStatus.Member, city.Status);
        Assert.Equal(since.AddYears(6), city.NextReportDue);
    }

    [Fact]
    public void An_imported_member_may_leave_population_and_mayor_unknown_but_a_candidate_states_both()
    {
        var since = Now.AddYears(-3);
        var imported = CityRules.Register(new CityState(), "ie-dublin", Coordinator, new RegisterCity("Dublin", "IE", null, null, since), Now);
        Assert.Equal(CityStatus.Member, imported.Status);
        Assert.Null(imported.Population);
        Assert.Null(imported.Mayor);
        Assert.Null(imported.PendingSummary!.Population);
        Assert.Same(imported, CityRules.Register(imported, "ie-dublin", Coordinator, new RegisterCity("Dublin", "IE", null, null, since), Now));
        Refused(ErrorKind.Validation, ErrorCodes.InvalidPopulation, () => CityRules.Register(new CityState(), "ie-dublin", Coordinator, new RegisterCity("Dublin", "IE", null, "Mayor"), Now));
        Refused(ErrorKind.Validation, ErrorCodes.InvalidMayor, () => CityRules.Register(new CityState(), "ie-dublin", Coordinator, new RegisterCity("Dublin", "IE", 1, null), Now));
        Refused(ErrorKind.Validation, ErrorCodes.InvalidPopulation, () => CityRules.Register(new CityState(), "ie-dublin", Coordinator, new RegisterCity("Dublin", "IE", 0, null, since), Now));
    }

    [Fact]
    public void The_city_updates_its_profile_and_absent_fields_stay()
    {
        var city = CityRules.EndorseRepresentative(Candidate(), Actor.Mayor(Candidate().Id), "Deputy");
        var updated = CityRules.UpdateProfile(city, Actor.Representative(city.Id, "Deputy"), new UpdateCityProfile(Population: 600_000));
        Assert.Equal(600_000, updated.Population);
        Assert.Equal(city.Name, updated.Name);
        Assert.Equal(city.Version + 1, updated.PendingSummary!.Version);
        Assert.Same(updated, CityRules.UpdateProfile(updated, Actor.Mayor(city.Id), new UpdateCityProfile()));
    }

    [Fact]
    public void A_city_acts_only_for_itself()
    {
        var city = Candidate();
        Refused(ErrorKind.Forbidden, ErrorCodes.NotYourCity, () => CityRules.UpdateProfile(city, Actor.Mayor("ie-cork"), new UpdateCityProfile(Name: "Cork")));
        Refused(ErrorKind.Forbidden, ErrorCodes.CityOnly, () => CityRules.UpdateProfile(city, Actor.Commission("IE"), new UpdateCityProfile(Name: "Cork")));
    }

    [Fact]
    public void Only_the_mayor_endorses_a_representative()
    {
        var city = Candidate();
        Refused(ErrorKind.Forbidden, ErrorCodes.MayorOnly, () => CityRules.EndorseRepresentative(city, Actor.Representative(city.Id, "Deputy"), "Deputy"));
        var endorsed = CityRules.EndorseRepresentative(city, Actor.Mayor(city.Id), "Deputy");
        Assert.Equal(["Deputy"], endorsed.Representatives);
        Assert.Same(endorsed, CityRules.EndorseRepresentative(endorsed, Actor.Mayor(city.Id), "deputy"));
        Refused(ErrorKind.Forbidden, ErrorCodes.MayorOnly, () => CityRules.EndorseRepresentative(endorsed, Actor.Representative(city.Id, "Deputy"), "Another"));
    }

    [Fact]
    public void A_representative_acts_for_the_city_only_once_the_mayor_has_endorsed_them()
    {
        var city = Candidate();
        var change = new UpdateCityProfile(Population: 600_000);
        Refused(ErrorKind.Forbidden, ErrorCodes.RepresentativeNotEndorsed, () => CityRules.UpdateProfile(city, Actor.Representative(city.Id, "Deputy"), change));
        Refused(ErrorKind.Forbidden, ErrorCodes.RepresentativeNotEndorsed, () => CityRules.UpdateProfile(city, Actor.Representative(city.Id, null), change));
        var endorsed = CityRules.EndorseRepresentative(city, Actor.Mayor(city.Id), "Deputy");
        Assert.Equal(600_000, CityRules.UpdateProfile(endorsed, Actor.Representative(city.Id, " deputy "), change).Population);
        Refused(ErrorKind.Forbidden, ErrorCodes.RepresentativeNotEndorsed, () => CityRules.UpdateProfile(endorsed, Actor.Representative(city.Id, "Someone Else"), change));
    }

    [Fact]
    public void Admission_makes_a_member_whose_first_report_is_due_two_years_later_once_per_period()
    {
        var city = Candidate();
        var notice = new AdmissionNotice("2025", city.Id, Now);
        var member = CityRules.Admit(city, notice);
        Assert.Equal(CityStatus.Member, member.Status);
        Assert.Equal(Now, member.MemberSince);
        Assert.Equal(Now.AddYears(2), member.NextReportDue);
        Assert.Equal(DomainEventType.MembershipChanged, member.PendingEvents[^1].Type);
        Assert.Same(member, CityRules.Admit(member, notice));
    }

    [Fact]
    public void A_report_not_filed_by_its_due_date_makes_the_member_report_overdue_until_filed()
    {
        var member = Member();
        Assert.Same(member, CityRules.ProcessDeadlines(member, Now.AddYears(2).AddTicks(-1)));
        var overdue = CityRules.ProcessDeadlines(member, Now.AddYears(2));
        Assert.Equal(CityStatus.ReportOverdue, overdue.Status);
        Assert.Equal(DomainEventType.ProgressReportOverdue, overdue.PendingEvents[^1].Type);
        Assert.Null(CityRules.NextDeadline(overdue));

        Refused(ErrorKind.Forbidden, ErrorCodes.RepresentativeNotEndorsed,
            () => CityRules.FileProgressReport(overdue, Actor.Representative(member.Id, "Deputy"), new FileProgressReport("Our progress"), Now.AddYears(2).AddDays(3)));
        var delegated = CityRules.EndorseRepresentative(overdue, Actor.Mayor(member.Id), "Deputy");
        var filed = CityRules.FileProgressReport(delegated, Actor.Representative(member.Id, "Deputy"), new FileProgressReport("Our progress"), Now.AddYears(2).AddDays(3));
        Assert.Equal(CityStatus.Member, filed.Status);
        Assert.Equal(Now.AddYears(4), filed.NextReportDue);
        Assert.Equal(Now.AddYears(2), filed.Reports[^1].DueAt);
        Assert.Equal(DomainEventType.ProgressReportFiled, filed.PendingEvents[^1].Type);
    }

    [Fact]
    public void Each_next_report_is_due_two_years_after_the_previous_due_date_even_when_filed_early()
    {
        var member = Member();
        var filed = CityRules.FileProgressReport(member, Actor.Mayor(member.Id), new FileProgressReport("Early"), Now.AddMonths(18));
        Assert.Equal(Now.AddYears(4), filed.NextReportDue);
        Refused(ErrorKind.Conflict, ErrorCodes.ReportNotYetDue, () => CityRules.FileProgressReport(filed, Actor.Mayor(member.Id), new FileProgressReport("Again"), Now.AddMonths(20)));
    }

    [Fact]
    public void Only_members_file_reports()
    {
        var candidate = Candidate();
        Refused(ErrorKind.Conflict, ErrorCodes.NotAMember, () => CityRules.FileProgressReport(candidate, Actor.Mayor(candidate.Id), new FileProgressReport("x"), Now));
        Refused(ErrorKind.Validation, ErrorCodes.InvalidReport, () => CityRules.FileProgressReport(Member(), Actor.Mayor("ie-dublin"), new FileProgressReport(" "), Now));
    }

    [Fact]
    public void A_report_answers_per_area_of_focus_of_the_key_features()
    {
        var member = Member();
        var answers = new Dictionary<string, string> { ["1.1"] = "Learning festivals", ["3.3"] = "A learning budget" };
        var filed = CityRules.FileProgressReport(member, Actor.Mayor(member.Id), new FileProgressReport("Our progress", answers), Now.AddMonths(6));
        Assert.Equal(["1.1", "3.3"], filed.Reports[^1].KeyFeatures.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("4.1")]
    [InlineData("2")]
    [InlineData("2.7")]
    [InlineData(" 1.1")]
    [InlineData("inclusiveLearning")]
    public void A_report_key_that_is_not_an_area_of_focus_is_refused(string key)
    {
        var member = Member();
        var answers = new Dictionary<string, string> { ["1.1"] = "x", [key] = "y" };
        var refusal = Refusal(() => CityRules.FileProgressReport(member, Actor.Mayor(member.Id), new FileProgressReport("Our progress", answers), Now.AddMonths(6)));
        Assert.Equal((ErrorKind.Validation, ErrorCodes.UnknownKeyFeature), (refusal.Kind, refusal.Code));
        Assert.Contains(key, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_coordinator_suspends_and_ends_memberships_with_a_reason()
    {
        var member = Member();
        Refused(ErrorKind.Forbidden, ErrorCodes.CoordinatorOnly, () => CityRules.Suspend(member, Actor.Mayor(member.Id), "why", Now));
        Refused(ErrorKind.Validation, ErrorCodes.InvalidReason, () => CityRules.Suspend(member, Coordinator, "", Now));
        var suspended = CityRules.Suspend(member, Coordinator, "No report", Now);
        Assert.Equal(CityStatus.Suspended, suspended.Status);
        Assert.Equal("No report", suspended.PendingEvents[^1].Reason);
        Assert.Same(suspended, CityRules.Suspend(suspended, Coordinator, "again", Now));
        Assert.Null(CityRules.NextDeadline(suspended));

        var ended = CityRules.EndMembership(suspended, Coordinator, "Left", Now);
        Assert.Equal(CityStatus.Ended, ended.Status);
        Assert.Null(ended.NextReportDue);
        Refused(ErrorKind.Conflict, ErrorCodes.MembershipEnded, () => CityRules.Suspend(ended, Coordinator, "x", Now));
        Refused(ErrorKind.Conflict, ErrorCodes.NotAMember, () => CityRules.EndMembership(Candidate(), Coordinator, "x", Now));
    }

    [Fact]
    public void Awards_go_to_member_cities_once_per_edition()
    {
        var member = Member();
        Refused(ErrorKind.Forbidden, ErrorCodes.CoordinatorOnly, () => CityRules.GrantAward(member, Actor.Commission("IE"), new GrantAward(2025, "c"), Now));
        Refused(ErrorKind.Conflict, ErrorCodes.NotAMember, () => CityRules.GrantAward(Candidate(), Coordinator, new GrantAward(2025, "c"), Now));
        Refused(ErrorKind.Validation, ErrorCodes.InvalidAwardYear, () => CityRules.GrantAward(member, Coordinator, new GrantAward(1999, "c"), Now));
        Refused(ErrorKind.Validation, ErrorCodes.InvalidCitation, () => CityRules.GrantAward(member, Coordinator, new GrantAward(2025, ""), Now));
        var awarded = CityRules.GrantAward(member, Coordinator, new GrantAward(2025, "For lifelong learning"), Now);
        Assert.Equal(DomainEventType.AwardGranted, awarded.PendingEvents[^1].Type);
        Assert.Single(awarded.PendingSummary!.Awards);
        Assert.Same(awarded, CityRules.GrantAward(awarded, Coordinator, new GrantAward(2025, "For lifelong learning"), Now));
        Refused(ErrorKind.Conflict, ErrorCodes.AwardAlreadyGranted, () => CityRules.GrantAward(awarded, Coordinator, new GrantAward(2025, "Other"), Now));
    }

    [Fact]
    public void An_imported_award_registers_an_absent_awardee_as_a_member_in_the_same_change_or_not_at_all()
    {
        var since = new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var registration = new RegisterCity("Cork", "IE", null, null, since);
        var imported = CityRules.ImportAward(new CityState(), "ie-cork", Coordinator, registration, new GrantAward(2017, "For learning"), Now);
        Assert.Equal(CityStatus.Member, imported.Status);
        Assert.Equal([DomainEventType.CityRegistered, DomainEventType.AwardGranted], imported.PendingEvents.Select(e => e.Type));
        Assert.Same(imported, CityRules.ImportAward(imported, "ie-cork", Coordinator, registration, new GrantAward(2017, "For learning"), Now));
        Refused(ErrorKind.Validation, ErrorCodes.InvalidAwardYear,
            () => CityRules.ImportAward(new CityState(), "ie-cork", Coordinator, registration, new GrantAward(Now.Year + 2, "Too early"), Now));
        Refused(ErrorKind.Forbidden, ErrorCodes.CoordinatorOnly,
            () => CityRules.ImportAward(new CityState(), "ie-cork", Actor.Commission("IE"), registration, new GrantAward(2017, "c"), Now));
    }

    [Fact]
    public void An_unregistered_city_is_not_found() =>
        Refused(ErrorKind.NotFound, ErrorCodes.CityNotFound, () => CityRules.View(new CityState { Id = "ie-dublin" }));
}
