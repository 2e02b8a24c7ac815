namespace Gnlc.Time;

/// <summary>Result of moving the test clock: the new cluster time and how many deadlines were processed.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.ClockAdvanced")]
public sealed record ClockAdvanced(
    [property: Id(0)] DateTimeOffset Now,
    [property: Id(1)] int DeadlinesProcessed);

/// <summary>
/// The cluster's clock (key <see cref="GrainKeys.Clock"/>). In Development a test clock: a durable
/// offset over system time that every silo applies; elsewhere advancing is refused.
/// </summary>
[Alias("gnlc.IClockGrain")]
public interface IClockGrain : IGrainWithStringKey
{
    [Alias("now")]
    Task<DateTimeOffset> GetNowAsync();

    /// <summary>Moves the clock forward for every silo and returns once every deadline now due is processed.</summary>
    [Alias("advance")]
    Task<ClockAdvanced> AdvanceAsync(TimeSpan by);

    /// <summary>As <see cref="AdvanceAsync"/>, with calendar semantics (<c>P2M</c> from now).</summary>
    [Alias("advance-by")]
    Task<ClockAdvanced> AdvanceByAsync(CalendarDuration by);
}
