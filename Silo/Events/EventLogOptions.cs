namespace Gnlc.Silo.Events;

/// <summary>How long the event log keeps events (configuration section <c>Gnlc:Events</c>).</summary>
public sealed class EventLogOptions
{
    public const string SectionName = "Gnlc:Events";

    /// <summary>Events recorded longer ago than this are deleted (<c>Gnlc:Events:Retention</c>, default 30 days).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often each silo deletes expired events (<c>Gnlc:Events:RetentionInterval</c>, default 1 hour).</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);
}
