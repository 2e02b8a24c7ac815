using Gnlc.Events;
using Gnlc.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Silo.Telemetry;

/// <summary>
/// Wraps the domain's <see cref="IDomainEventSink"/> and counts what it delivered: the outboxes call the sink only for
/// committed changes, after their state write, so a delivery that returns is a committed event published. A delivery
/// that throws counts nothing (the outbox delivers it again later). The grains' write path is not touched.
/// </summary>
/// <remarks>
/// The outbox is at least once: in the rare case where the sink succeeded but clearing the outbox failed, the same
/// events are delivered, and counted, again.
/// </remarks>
public sealed class MeteredDomainEventSink(IDomainEventSink inner, GnlcMetrics metrics) : IDomainEventSink
{
    public async Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        await inner.PublishAsync(events, cancellationToken);
        metrics.Published(events);
    }

    /// <summary>Decorates the last <see cref="IDomainEventSink"/> registered in <paramref name="services"/>, once.</summary>
    public static void Decorate(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IDomainEventSink) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }

        if (index < 0 || services[index].ImplementationFactory?.Target is Decoration)
        {
            return;
        }

        var original = services[index];
        services[index] = ServiceDescriptor.Describe(
            typeof(IDomainEventSink),
            new Decoration(original).Create,
            original.Lifetime);
    }

    private sealed class Decoration(ServiceDescriptor original)
    {
        public MeteredDomainEventSink Create(IServiceProvider services)
        {
            var inner = original switch
            {
                { ImplementationInstance: IDomainEventSink instance } => instance,
                { ImplementationFactory: { } factory } => (IDomainEventSink)factory(services),
                { ImplementationType: { } type } => (IDomainEventSink)ActivatorUtilities.CreateInstance(services, type),
                _ => throw new InvalidOperationException("Unsupported registration of IDomainEventSink."),
            };
            return new MeteredDomainEventSink(inner, services.GetRequiredService<GnlcMetrics>());
        }
    }
}
