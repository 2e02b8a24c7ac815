using System.Collections.Immutable;
using System.Text.Json;
using Gnlc.Api.Http;
using Gnlc.Cities;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Gnlc.Api.Tests;

/// <summary>The city GET's kept JSON: reused only for a view of the same content, else serialized again.</summary>
public sealed class CityJsonTests
{
    private static readonly DateTimeOffset Joined = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_equal_view_from_another_instance_gets_the_same_json()
    {
        var json = NewCache();
        var first = json.Of(View());
        var second = json.Of(View());
        Assert.Same(first.Json, second.Json);
        Assert.Equal("\"v4\"", second.ETag);
    }

    [Fact]
    public void A_changed_view_is_serialized_again()
    {
        var json = NewCache();
        var before = json.Of(View());
        var renamed = json.Of(View() with { Name = "Cork" });
        Assert.NotSame(before.Json, renamed.Json);
        Assert.Equal("Cork", JsonDocument.Parse(renamed.Json).RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public void Views_differing_in_any_written_detail_are_not_the_same_content()
    {
        var view = View();
        Assert.True(CityViews.SameContent(view, View()));
        Assert.False(CityViews.SameContent(view, view with { Version = 5 }));
        Assert.False(CityViews.SameContent(view, view with { Representatives = ["Ann", "Bo"] }));
        Assert.False(CityViews.SameContent(view, view with { MemberSince = Joined.ToOffset(TimeSpan.FromHours(1)) }));
        Assert.False(CityViews.SameContent(view, view with { Awards = [new Award(2027, "For learning", Joined)] }));
        Assert.False(CityViews.SameContent(view, view with
        {
            ProgressReports = [new ProgressReport(Joined, Joined, "Year one", new Dictionary<string, string> { ["a"] = "2" })],
        }));
    }

    // SameContent lists the written fields one by one: a field added to these records must be added there too, or a
    // changed view could be answered with the JSON of the previous one.
    [Theory]
    [InlineData(typeof(CityView), "Id,Name,Country,Population,Mayor,Status,MemberSince,Representatives,NextReportDue,ProgressReports,Awards,StatusReason,Version")]
    [InlineData(typeof(ProgressReport), "DueAt,FiledAt,Summary,KeyFeatures")]
    [InlineData(typeof(Award), "Year,Citation,GrantedAt")]
    public void Same_content_compares_every_field_the_views_have(Type type, string compared)
    {
        var fields = type.GetProperties().Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").Select(p => p.Name);
        Assert.Equal(compared.Split(',').Order(StringComparer.Ordinal), fields.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_json_is_what_the_api_serializer_writes()
    {
        var options = new HttpJsonOptions();
        options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        var json = new CityJson(Options.Create(options));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(View(), options.SerializerOptions), json.Of(View()).Json);
    }

    private static CityJson NewCache() => new(Options.Create(new HttpJsonOptions()));

    // A new instance every time, with new collections, as a client deserializes it.
    private static CityView View() => new(
        "ie-dublin", "Dublin", "IE", 550_000, "A. Mayor", CityStatus.Member, Joined,
        ["Ann"], Joined.AddYears(2),
        [new ProgressReport(Joined, Joined, "Year one", new Dictionary<string, string> { ["a"] = "1" })],
        [], null, 4);
}
