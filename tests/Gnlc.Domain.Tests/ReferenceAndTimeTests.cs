using Gnlc.Errors;
using Gnlc.Reference;
using Gnlc.Time;
using static Gnlc.Domain.Tests.Given;

namespace Gnlc.Domain.Tests;

public class ReferenceAndTimeTests
{
    [Fact]
    public void Member_states_include_member_states_and_associate_members()
    {
        Assert.True(MemberStates.TryGet("ie", out var ireland));
        Assert.Equal("Ireland", ireland.Name);
        Assert.Contains(MemberStates.All, s => s.Status == "associate_member");
        Assert.True(MemberStates.All.Count > 190);
        Assert.False(MemberStates.TryGet("XX", out _));
    }

    [Fact]
    public void The_key_features_have_three_dimensions_and_twelve_areas_of_focus_without_invented_features()
    {
        var framework = KeyFeatures.Framework;
        Assert.Equal(["1", "2", "3"], framework.Dimensions.Select(d => d.Code));
        Assert.Equal([3, 6, 3], framework.Dimensions.Select(d => d.Areas.Length));
        Assert.Equal(["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.1", "3.2", "3.3"], KeyFeatures.AreaCodes);
        Assert.Equal(42, framework.TotalKeyFeatures);
        Assert.All(framework.Dimensions.SelectMany(d => d.Areas), a => Assert.Empty(a.Features));
        Assert.Contains("learningcities.uil.unesco.org", framework.Source, StringComparison.Ordinal);
        Assert.True(KeyFeatures.IsArea("2.4"));
        Assert.False(KeyFeatures.IsArea("2.7"));
    }

    [Theory]
    [InlineData("IE", "IE")]
    [InlineData("Ireland", "IE")]
    [InlineData("  republic of korea ", "KR")]
    [InlineData("United Kingdom of Great Britain and Northern Ireland", "GB")]
    [InlineData("Turkiye", "TR")]
    [InlineData("Cote d'Ivoire", "CI")]
    [InlineData("Viet Nam", "VN")]
    [InlineData("Vietnam", "VN")]
    [InlineData("United States", "US")]
    public void Country_names_resolve_to_member_states(string name, string code)
    {
        Assert.True(CountryNames.TryResolve(name, out var state));
        Assert.Equal(code, state.Code);
    }

    [Fact]
    public void Every_alias_names_a_member_state_and_unknown_names_do_not_resolve()
    {
        Assert.All(CountryNames.Aliases, a => Assert.True(MemberStates.TryGet(a.Value, out _), a.Key));
        Assert.False(CountryNames.TryResolve("Atlantis", out _));
        Assert.False(CountryNames.TryResolve("XX", out _));
        Assert.False(CountryNames.TryResolve(" ", out _));
    }

    [Theory]
    [InlineData("P2M", 2, 0, 0)]
    [InlineData("P1M", 1, 0, 0)]
    [InlineData("P1Y", 12, 0, 0)]
    [InlineData("P1DT2H", 0, 1, 7200)]
    [InlineData("P2W", 0, 14, 0)]
    [InlineData("PT90M", 0, 0, 5400)]
    public void Iso_durations_parse_with_calendar_semantics(string text, int months, int days, int seconds)
    {
        var duration = CalendarDuration.Parse(text);
        Assert.Equal(new CalendarDuration(months, days, TimeSpan.FromSeconds(seconds)), duration);
    }

    [Theory]
    [InlineData("2M")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1H")]
    [InlineData("P-1M")]
    [InlineData("P1.5M")]
    public void Malformed_durations_are_refused(string text) =>
        Refused(ErrorKind.Validation, ErrorCodes.InvalidDuration, () => CalendarDuration.Parse(text));

    [Fact]
    public void Two_calendar_months_from_the_end_of_december_land_at_the_end_of_february() =>
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.Zero), CalendarDuration.FromMonths(2).AddTo(new DateTimeOffset(2025, 12, 31, 0, 0, 0, TimeSpan.Zero)));
}
