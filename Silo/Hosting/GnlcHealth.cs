using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Gnlc.Silo.Hosting;

/// <summary>
/// Liveness and readiness for silos and the Api alike: live = the process answers; ready = the checks tagged
/// <see cref="ReadyTag"/> pass (the silo is active or the cluster answers, and PostgreSQL answers when clustered).
/// </summary>
public static class GnlcHealth
{
    public const string ReadyTag = "ready";

    private static readonly TimeSpan DatabaseTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Health checks of the store: PostgreSQL (through the shared data source) in clustered mode.</summary>
    public static IHealthChecksBuilder AddGnlcStoreHealthCheck(this IHealthChecksBuilder checks, GnlcStoreOptions store)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(store);
        if (store.Kind == GnlcStoreKind.Postgres)
        {
            // The one shared data source (the silo's PostgreSQL services may have registered it already).
            checks.Services.TryAddSingleton(_ => NpgsqlDataSource.Create(store.ConnectionString));
            checks.AddNpgSql(sp => sp.GetRequiredService<NpgsqlDataSource>(), name: "postgresql", tags: [ReadyTag], timeout: DatabaseTimeout);
        }

        return checks;
    }

    /// <summary>Readiness of a silo process: active in the cluster, and its store answers.</summary>
    public static IHealthChecksBuilder AddGnlcSiloHealthChecks(this IServiceCollection services, GnlcStoreOptions store) =>
        services.AddHealthChecks()
            .AddCheck<SiloActiveHealthCheck>("silo", tags: [ReadyTag])
            .AddGnlcStoreHealthCheck(store);

    public static IEndpointRouteBuilder MapGnlcHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return endpoints;
    }
}

/// <summary>Ready while this silo is Active in the cluster's membership.</summary>
internal sealed class SiloActiveHealthCheck(ISiloStatusOracle oracle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(oracle.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy("silo active")
            : HealthCheckResult.Unhealthy($"silo {oracle.CurrentStatus}"));
}
