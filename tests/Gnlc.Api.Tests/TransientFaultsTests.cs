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
    public void A_gateway_that_refuses_the_connection_is_transient()
    {
        // What a client sending to the gateway of a silo SIGKILLed a moment before got, unwrapped (the storm test met it).
        var refused = new Orleans.Runtime.Messaging.ConnectionFailedException("Unable to connect to endpoint S127.0.0.1:35801:0. See InnerException");

        Assert.True(TransientFaults.IsTransient(refused));
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
