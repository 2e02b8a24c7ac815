using Gnlc.Cities;
using Gnlc.Infrastructure;
using Gnlc.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gnlc.Hosting;

/// <summary>Registers what the GNLC grains need on a silo; the silo hosting calls it once.</summary>
public static class GnlcDomainSiloBuilderExtensions
{
    /// <summary>
    /// Adds the domain's services: the domain clock (system time, or with <paramref name="testClock"/> the
    /// cluster test clock and its per-silo service), the default event sink, and the grains' shared services.
    /// Grain storage <see cref="ProviderNames.GrainStorage"/> and a reminder service must be configured too.
    /// </summary>
    public static ISiloBuilder AddGnlcDomain(this ISiloBuilder silo, bool testClock = false) =>
        silo.AddGnlcDomain(new GnlcDomainOptions { TestClock = testClock });

    /// <inheritdoc cref="AddGnlcDomain(ISiloBuilder, bool)"/>
    public static ISiloBuilder AddGnlcDomain(this ISiloBuilder silo, GnlcDomainOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        var testClock = options.TestClock;
        var services = silo.Services;
        services.AddSingleton(options);
        services.TryAddSingleton<IDomainEventSink, LoggingDomainEventSink>();
        services.TryAddSingleton<DomainGrainServices>();
        silo.AddIncomingGrainCallFilter<TransientFaultFilter>();
        if (testClock)
        {
            services.TryAddSingleton(sp => new ClusterClock(BaseClock(sp)));
            services.AddKeyedSingleton<TimeProvider>(GnlcClock.ServiceKey, (sp, _) => sp.GetRequiredService<ClusterClock>());
            services.TryAddSingleton<IClockServiceClient, ClockServiceClient>();
            silo.AddGrainService<ClockService>();
        }
        else
        {
            services.AddKeyedSingleton<TimeProvider>(GnlcClock.ServiceKey, (sp, _) => BaseClock(sp));
        }

        return silo;
    }

    /// <summary>
    /// Adds the co-hosted city view registry (<see cref="ICoHostedCityViews"/>), which the city grains then publish to.
    /// Sound only on the single silo of a process that also serves the reads (the embedded deployment): see
    /// <see cref="CityViewRegistry"/>.
    /// </summary>
    public static ISiloBuilder AddGnlcCoHostedCityViews(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.TryAddSingleton<CityViewRegistry>();
        silo.Services.TryAddSingleton<ICoHostedCityViews>(sp => sp.GetRequiredService<CityViewRegistry>());
        return silo;
    }

    private static TimeProvider BaseClock(IServiceProvider services) =>
        services.GetKeyedService<TimeProvider>(GnlcClock.BaseServiceKey) ?? services.GetService<TimeProvider>() ?? TimeProvider.System;
}
