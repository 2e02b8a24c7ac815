namespace Gnlc.Errors;

/// <summary>
/// A transient fault of the cluster's store (database unreachable, storage timeout, a version conflict after a
/// failover): nothing was changed and the caller may retry. Serializable, unlike the database driver's own
/// exceptions, so it reaches a client of the cluster intact (the HTTP API answers 503 with Retry-After).
/// </summary>
[GenerateSerializer, Alias("gnlc.ServiceUnavailableException")]
public sealed class ServiceUnavailableException : Exception
{
    public ServiceUnavailableException()
        : this("The cluster's store is unavailable right now; nothing was changed.")
    {
    }

    public ServiceUnavailableException(string message)
        : base(message)
    {
    }

    public ServiceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
