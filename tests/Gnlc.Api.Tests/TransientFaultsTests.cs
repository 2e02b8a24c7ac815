using Gnlc.Api.Errors;
using Gnlc.Errors;

namespace Gnlc.Api.Tests;

/// <summary>Faults of the cluster are 503 (retryable), never 500: what the process tests met while a silo was killed.</summary>
public sealed class TransientFaultsTests
{
    [Fact]
    public void A_message_that_expired_before_placement_is_transient()
    {
        // What Orleans throws to a caller while the grains of a SIGKILLed silo are being placed elsewhere.
        var expired = new OperationCanceledException("Message expired before placement could complete for grain gnlc-commission/nc-am.");

        Assert.True(TransientFaults.IsTransient(expired));
        Assert.True(TransientFaults.IsTransient(new InvalidOperationException("wrapped", expired)));
    }

    [Fact]
    public void Cluster_and_store_faults_are_transient_and_bugs_and_refusals_are_not()
    {
        Assert.True(TransientFaults.IsTransient(new TimeoutException()));
        Assert.True(TransientFaults.IsTransient(new SiloUnavailableException()));
        Assert.True(TransientFaults.IsTransient(new ServiceUnavailableException("store down")));
        Assert.False(TransientFaults.IsTransient(new InvalidOperationException("a bug")));
        Assert.False(TransientFaults.IsTransient(new ArgumentException("a bad argument")));
        Assert.False(TransientFaults.IsTransient(null));
    }
}
