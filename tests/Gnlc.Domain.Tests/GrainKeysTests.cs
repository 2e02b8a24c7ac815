using Gnlc.Errors;
using static Gnlc.Domain.Tests.Given;

namespace Gnlc.Domain.Tests;

public class GrainKeysTests
{
    [Theory]
    [InlineData("IE", "Dublin", "ie-dublin")]
    [InlineData("br", "São Paulo", "br-sao-paulo")]
    [InlineData("PL", "Łódź", "pl-lodz")]
    [InlineData("de", "  Mülheim an der Ruhr ", "de-mulheim-an-der-ruhr")]
    [InlineData("KR", "Yeonsu-gu", "kr-yeonsu-gu")]
    public void A_new_city_id_is_the_lower_case_country_and_a_slug_of_the_name(string country, string name, string expected) =>
        Assert.Equal(expected, GrainKeys.NewCityId(country, name));

    [Fact]
    public void A_name_without_latin_letters_or_digits_is_refused() =>
        Refused(ErrorKind.Validation, ErrorCodes.InvalidCityName, () => GrainKeys.NewCityId("CN", "北京"));

    [Theory]
    [InlineData("D")]
    [InlineData("DEU")]
    [InlineData("1e")]
    [InlineData("")]
    public void A_country_code_is_two_ascii_letters(string code) =>
        Refused(ErrorKind.Validation, ErrorCodes.InvalidCountry, () => GrainKeys.Commission(code));

    [Fact]
    public void Country_codes_are_normalized_on_purpose_so_DE_and_de_are_one_commission()
    {
        Assert.Equal("nc-de", GrainKeys.Commission("DE"));
        Assert.Equal(GrainKeys.Commission("DE"), GrainKeys.Commission("de"));
        Assert.Equal("directory-de", GrainKeys.DirectoryShard(" De "));
    }

    [Fact]
    public void Numeric_period_ids_stay_distinct_and_prefixed()
    {
        Assert.Equal("period-2025", GrainKeys.Period("2025"));
        Assert.Equal("period-02025", GrainKeys.Period("02025"));
        Assert.NotEqual(GrainKeys.Period("2025"), GrainKeys.Period("02025"));
    }

    [Theory]
    [InlineData("2025")]
    [InlineData("cafe")]
    [InlineData("02025")]
    [InlineData("de")]
    [InlineData("ae")]
    public void No_key_the_keys_class_builds_is_hex_parsable(string input)
    {
        Assert.True(GrainKeys.IsHexParsable(input));
        string[] keys =
        [
            GrainKeys.Period(input.ToLowerInvariant()),
            GrainKeys.Application(input.ToLowerInvariant(), "ie-dublin"),
            GrainKeys.PeriodRegistry, GrainKeys.Network, GrainKeys.Clock, GrainKeys.Directory, GrainKeys.DeadlineShard(3),
        ];
        Assert.All(keys, key => Assert.False(GrainKeys.IsHexParsable(key), key));
        if (input.Length == 2)
        {
            Assert.False(GrainKeys.IsHexParsable(GrainKeys.Commission(input)));
            Assert.False(GrainKeys.IsHexParsable(GrainKeys.DirectoryShard(input)));
            Assert.False(GrainKeys.IsHexParsable(GrainKeys.NewCityId(input, "abba")));
        }
    }

    [Theory]
    [InlineData("ABC")]
    [InlineData("2025_autumn")]
    [InlineData("")]
    [InlineData("a-period-id-that-is-longer-than-32")]
    public void Period_ids_are_1_to_32_lowercase_letters_digits_and_hyphens(string id) =>
        Refused(ErrorKind.Validation, ErrorCodes.InvalidPeriodId, () => GrainKeys.Period(id));

    [Theory]
    [InlineData("IE-dublin")]
    [InlineData("ie_dublin")]
    [InlineData("iedublin")]
    [InlineData("ie-")]
    [InlineData("ie--dublin")]
    public void City_ids_are_validated(string id) =>
        Refused(ErrorKind.Validation, ErrorCodes.InvalidCityId, () => GrainKeys.City(id));

    [Fact]
    public void An_application_key_round_trips()
    {
        var key = GrainKeys.Application("2027-autumn", "ie-dublin");
        Assert.Equal("app:2027-autumn:ie-dublin", key);
        Assert.Equal(("2027-autumn", "ie-dublin"), GrainKeys.ParseApplication(key));
        Assert.Equal("ie", GrainKeys.CountryOfCity("ie-dublin"));
    }

    [Fact]
    public void A_grain_always_registers_its_deadline_in_the_same_shard()
    {
        var shard = GrainKeys.DeadlineShardOf("city/ie-dublin");
        Assert.Equal(shard, GrainKeys.DeadlineShardOf("city/ie-dublin"));
        Assert.InRange(shard, 0, GrainKeys.DeadlineShardCount - 1);
    }
}
