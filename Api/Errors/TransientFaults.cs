using Gnlc.Errors;

namespace Gnlc.Api.Errors;

/// <summary>Which exceptions are faults of the cluster or its store, answered 503 with Retry-After rather than 500.</summary>
public static class TransientFaults
{
    /// <summary>
    /// Faults of the cluster or its store rather than of the request: a timeout, a silo that went away, a database
    /// error, a storage version conflict after a failover, or a message Orleans cancelled because it expired before it
    /// could be placed or delivered (<see cref="OperationCanceledException"/>, "Message expired before placement could
    /// complete", while a dead silo's grains are being moved), or a gateway the client could not connect to
    /// (<see cref="Orleans.Runtime.Messaging.ConnectionFailedException"/>, thrown unwrapped when the client's gateway was
    /// just killed). Any of them, anywhere in the chain.
    /// </summary>
    public static bool IsTransient(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ServiceUnavailableException or TimeoutException or System.Data.Common.DbException or SiloUnavailableException
                or OrleansMessageRejectionException or Orleans.Storage.InconsistentStateException
                or System.Net.Sockets.SocketException or OperationCanceledException
                or Orleans.Runtime.Messaging.ConnectionFailedException)
            {
                return true;
            }
        }

        return false;
    }
}
