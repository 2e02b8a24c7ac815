using System.Net;

namespace Gnlc.Api.Tests.Support;

/// <summary>
/// One cluster for the classes of the "shared world" collection (they run one after another): a period
/// open now, which the two-year cadence allows only once per cluster. Each test registers its own cities.
/// </summary>
public sealed class SharedWorld : ApiFixture
{
    public const string Period = "shared";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/periods", Caller.Coordinator, new { id = Period, opensAt = await ClockNowAsync() });
    }

    /// <summary>A fresh city in <paramref name="country"/> with a draft application in the shared period.</summary>
    public async Task<string> CityWithDraftAsync(string country = "IE")
    {
        var cityId = await RegisterCityAsync("Town " + Unique(), country);
        await ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/cities/{cityId}/applications/{Period}", Caller.Mayor(cityId), CompleteForm());
        return cityId;
    }
}

[CollectionDefinition(Name)]
public sealed class SharedWorldDefinition : ICollectionFixture<SharedWorld>
{
    public const string Name = "shared world";
}
