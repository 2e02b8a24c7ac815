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
