using System.Net;
using System.Text.Json;
using Gnlc.Api.Tests.Support;

namespace Gnlc.Api.Tests;

/// <summary>
/// The Api keeps directory pages it has sent and reuses them while the directory is unchanged: a page read again after
/// an acknowledged change must show that change, and an unchanged page must be the same JSON as the first.
/// </summary>
public sealed class DirectoryPageTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Country = "IS";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_page_read_again_after_a_change_shows_the_change()
    {
        var suffix = ApiFixture.Unique();
        var page = $"/api/v1/cities?country={Country}&q={suffix}";
        var first = await api.RegisterCityAsync("Reykjavik " + suffix, Country, population: 140_000);
        Assert.Equal(["Reykjavik " + suffix], Names(await api.GetAsync(page)));

        // Unchanged: the same JSON again, sent as JSON.
        var (once, type) = await RawAsync(page);
        var (again, _) = await RawAsync(page);
        Assert.Equal("application/json; charset=utf-8", type);
        Assert.Equal(once, again);

        // A registration and a profile change, each acknowledged, are on the next read of the same page.
        var second = await api.RegisterCityAsync("Akureyri " + suffix, Country, population: 19_000);
        var listed = await api.GetAsync(page);
        Assert.Equal(["Akureyri " + suffix, "Reykjavik " + suffix], Names(listed));
        Assert.Equal(2, listed.GetProperty("total").GetInt32());

        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/cities/{second}", Caller.Mayor(second), new { name = "Akureyrarbaer " + suffix });
        Assert.Equal(["Akureyrarbaer " + suffix, "Reykjavik " + suffix], Names(await api.GetAsync(page)));
        Assert.NotEqual(once, (await RawAsync(page)).Body);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Different_queries_are_kept_apart()
    {
        var suffix = ApiFixture.Unique();
        await api.RegisterCityAsync("Selfoss " + suffix, Country, population: 9_000);
        await api.RegisterCityAsync("Husavik " + suffix, Country, population: 2_300);

        Assert.Equal(["Husavik " + suffix], Names(await api.GetAsync($"/api/v1/cities?country={Country}&q=Husavik {suffix}")));
        Assert.Equal(["Selfoss " + suffix], Names(await api.GetAsync($"/api/v1/cities?country={Country}&q=Selfoss {suffix}")));
        var firstOfTwo = await api.GetAsync($"/api/v1/cities?country={Country}&q={suffix}&pageSize=1&page=2");
        Assert.Equal(["Selfoss " + suffix], Names(firstOfTwo));
        Assert.Equal(2, firstOfTwo.GetProperty("total").GetInt32());
    }

    private async Task<(string Body, string? ContentType)> RawAsync(string path)
    {
        using var response = await api.Http.GetAsync(new Uri(path, UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync(Cancellation), response.Content.Headers.ContentType?.ToString());
    }

    private static List<string?> Names(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("name").GetString())];
}
