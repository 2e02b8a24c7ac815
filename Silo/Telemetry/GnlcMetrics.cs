using System.Diagnostics.Metrics;
using Gnlc.Applications;
using Gnlc.Events;

namespace Gnlc.Silo.Telemetry;

/// <summary>
/// The domain counters of meter <see cref="MeterName"/>: one increment per committed domain event that the event sink
/// delivered (see <see cref="MeteredDomainEventSink"/>). One meter per host (from its <see cref="IMeterFactory"/>), so
/// several hosts in one process (tests) keep their own counts.
/// </summary>
public sealed class GnlcMetrics
{
    public const string MeterName = "Gnlc";

    private readonly Counter<long> _submitted;
    private readonly Counter<long> _endorsements;
    private readonly Counter<long> _admissions;
    private readonly Counter<long> _published;

    public GnlcMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _submitted = Meter.CreateCounter<long>("gnlc.applications.submitted", "{application}", "Applications submitted by their cities.");
        _endorsements = Meter.CreateCounter<long>("gnlc.endorsements", "{endorsement}", "Applications endorsed by their National Commission.");
        _admissions = Meter.CreateCounter<long>("gnlc.admissions", "{admission}", "Applications admitted by the Coordination Team.");
        _published = Meter.CreateCounter<long>("gnlc.events.published", "{event}", "Committed domain events published to the event log and feed, by type.");
    }

    /// <summary>This host's meter (tests listen to exactly this instance).</summary>
    public Meter Meter { get; }

    /// <summary>Counts <paramref name="events"/>, committed and delivered once.</summary>
    public void Published(IReadOnlyList<DomainEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var evt in events)
        {
            _published.Add(1, new KeyValuePair<string, object?>("type", evt.Type.ToString()));
            if (evt.Entity != EntityKind.Application)
            {
                continue;
            }

            switch (evt.Type)
            {
                case DomainEventType.ApplicationSubmitted:
                    _submitted.Add(1);
                    break;
                case DomainEventType.ApplicationEndorsed:
                    _endorsements.Add(1);
                    break;
                case DomainEventType.ApplicationDecided when evt.Status == nameof(ApplicationStatus.Admitted):
                    _admissions.Add(1);
                    break;
            }
        }
    }
}
