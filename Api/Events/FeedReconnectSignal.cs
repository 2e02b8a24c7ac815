namespace Gnlc.Api.Events;

/// <summary>
/// Tells the hub to subscribe to the streams again: an Orleans client's stream subscriptions do not survive a lost
/// connection (ORLEANS-FACTS "Streams"). <see cref="Reconnected"/> asks for it now (the connection is back);
/// <see cref="RetryLater"/> asks for it at the hub's next poll (the connection is gone, or subscribing failed).
/// </summary>
public sealed class FeedReconnectSignal
{
    private int _pending;

    /// <summary>Raised by <see cref="Reconnected"/>.</summary>
    public event Action? Requested;

    public void Reconnected()
    {
        Interlocked.Exchange(ref _pending, 1);
        Requested?.Invoke();
    }

    public void RetryLater() => Interlocked.Exchange(ref _pending, 1);

    /// <summary>True once per request.</summary>
    public bool TakeRequest() => Interlocked.Exchange(ref _pending, 0) == 1;
}

/// <summary>Signals <see cref="FeedReconnectSignal"/> when the client's connection to the cluster is lost or comes back.</summary>
internal sealed class FeedConnectionObserver(FeedReconnectSignal signal) : IClusterConnectionStatusObserver
{
    public void NotifyClusterConnectionLost() => signal.RetryLater();

    public void NotifyGatewayCountChanged(int currentNumberOfConnectedGateways, int previousNumberOfConnectedGateways, bool connectionRecovered)
    {
        if (connectionRecovered || (previousNumberOfConnectedGateways == 0 && currentNumberOfConnectedGateways > 0))
        {
            signal.Reconnected();
        }
    }
}
