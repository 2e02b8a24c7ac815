namespace Gnlc.Infrastructure;

/// <summary>
/// Service keys of the domain's clock. Grains read "now" from the keyed <see cref="TimeProvider"/>
/// registered under <see cref="ServiceKey"/>, never from Orleans' own clock: moving the domain clock by
/// two years must not move membership probes, message expiry or reminder ticks with it.
/// </summary>
public static class GnlcClock
{
    /// <summary>The domain clock grains use (system time, or system time plus the test-clock offset).</summary>
    public const string ServiceKey = "gnlc-domain-clock";

    /// <summary>
    /// Optional base clock under the domain clock (tests register a shared <c>FakeTimeProvider</c> here);
    /// when absent the silo's <see cref="TimeProvider"/> is the base.
    /// </summary>
    public const string BaseServiceKey = "gnlc-base-clock";
}
