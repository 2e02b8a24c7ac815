using Gnlc.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gnlc.Infrastructure;

/// <summary>What every domain grain needs besides its state: the domain clock, the event sink, loggers.</summary>
public sealed class DomainGrainServices(
    [FromKeyedServices(GnlcClock.ServiceKey)] TimeProvider time,
    IDomainEventSink events,
    GnlcDomainOptions options,
    ILoggerFactory loggers)
{
    public GnlcDomainOptions Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public IDomainEventSink Events { get; } = events;

    public ILoggerFactory Loggers { get; } = loggers;

    /// <summary>
    /// Completes when the clock can be trusted on this silo: at once, unless it is a test clock still
    /// loading the cluster's offset (bounded, so a slow start never blocks activations for good).
    /// </summary>
    public async Task WhenClockReadyAsync(CancellationToken cancellationToken)
    {
        if (Time is not ClusterClock clock || clock.WhenReady.IsCompleted)
        {
            return;
        }

        try
        {
            await clock.WhenReady.WaitAsync(ClusterClock.ReadyTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Proceed with the offset known so far; the clock grain pushes the next one.
        }
    }
}
