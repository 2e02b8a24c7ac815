using Gnlc.Actors;
using Gnlc.Cities;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Api.Tests;

/// <summary>The embedded default keeps its data across a restart of the process (its SQLite file).</summary>
public sealed class EmbeddedRestartTests
{
    [Fact]
    public async Task A_city_registered_before_a_restart_is_there_after_it()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("gnlc-restart-").FullName;
        var cityId = GrainKeys.NewCityId("IE", "Dublin");
        CityView registered;
        await using (var first = new EmbeddedApiFactory(dataDirectory))
        {
            first.StartServer();
            var client = first.Services.GetRequiredService<IClusterClient>();
            registered = await client.GetGrain<ICityGrain>(GrainKeys.City(cityId))
                .RegisterAsync(Actor.Coordinator, new RegisterCity("Dublin", "IE", 592_713, "Mayor of Dublin"));
        }

        await using var second = new EmbeddedApiFactory(dataDirectory);
        second.StartServer();
        var city = await second.Services.GetRequiredService<IClusterClient>()
            .GetGrain<ICityGrain>(GrainKeys.City(cityId)).GetAsync();

        Assert.Equal(registered.Version, city.Version);
        Assert.Equal("Dublin", city.Name);
        Assert.Equal(592_713, city.Population);
        Assert.Equal(CityStatus.Candidate, city.Status);
        Assert.True(File.Exists(Path.Combine(dataDirectory, "gnlc.db")));
    }
}
