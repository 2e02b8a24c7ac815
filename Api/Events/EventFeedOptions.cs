namespace Gnlc.Api.Events;

/// <summary>How the HTTP front end serves the event feed (configuration section <c>Gnlc:Events</c>).</summary>
public sealed class EventFeedOptions
{
    public const string SectionName = "Gnlc:Events";

    /// <summary>Comment sent when nothing else was, so proxies and clients see a live connection (default 15 s).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Events buffered for one client (default 1,024). A client that falls this far behind is disconnected, and
    /// resumes with <c>Last-Event-ID</c>; it never slows the others.
    /// </summary>
    public int ClientBufferSize { get; set; } = 1_024;

    /// <summary>How often the hub reads the log for events whose stream notification was lost (default 1 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The reconnection delay suggested to clients in <c>retry:</c> (default 3 s).</summary>
    public TimeSpan RetryHint { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Events read from the log per call while catching up (default 500).</summary>
    public int CatchUpPageSize { get; set; } = 500;
}
