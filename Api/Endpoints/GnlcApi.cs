using System.Text.Json.Serialization;
using Gnlc.Api.Auth;
using Gnlc.Api.Http;

namespace Gnlc.Api.Endpoints;

/// <summary>Registers and maps every route of API.md under <c>/api/v1</c>, one class per resource.</summary>
public static class GnlcApi
{
    public static IServiceCollection AddGnlcApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGnlcActorPolicy();
        services.AddSingleton<RequestJsonOptions>();
        services.AddSingleton<DirectoryPages>();
        services.AddSingleton<CityJson>();
        services.AddSingleton<CityReferences>();
        services.AddSingleton<CityReads>();
        services.AddSingleton<NetworkStatsJson>();
        // Numbers are JSON numbers, never strings (the web defaults read "12" as 12): bodies and the OpenAPI schemas agree.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        // A query or route value that does not bind (page=abc) throws, so it is answered as a problem.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    public static RouteGroupBuilder MapGnlcApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        return v1
            .MapReferenceEndpoints()
            .MapNetworkEndpoints()
            .MapCitiesEndpoints()
            .MapImportEndpoints()
            .MapApplicationsEndpoints()
            .MapPeriodsEndpoints()
            .MapCommissionsEndpoints()
            .MapAwardsEndpoints();
    }
}
