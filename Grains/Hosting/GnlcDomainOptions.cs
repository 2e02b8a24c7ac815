namespace Gnlc.Hosting;

/// <summary>How the domain runs on this silo.</summary>
public sealed class GnlcDomainOptions
{
    /// <summary>Development only: the clock is system time plus a durable offset the test clock moves.</summary>
    public bool TestClock { get; init; }

    /// <summary>
    /// Longest wait of a deadline reminder before it re-checks the schedule (reminders accept ~49 days at
    /// most, and a far deadline is reached in hops). It bounds how late a deadline that passed while the
    /// cluster was down is processed after a restart.
    /// </summary>
    public TimeSpan MaxReminderDelay { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// First retry of an outbox delivery that failed, by a one-shot grain timer; each further failure in a row
    /// doubles it, up to the reminder's period (the durable retry).
    /// </summary>
    public TimeSpan OutboxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);
}
