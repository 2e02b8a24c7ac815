using System.Data.Common;
using System.Net.Sockets;
using Gnlc.Errors;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Gnlc.Infrastructure;

/// <summary>
/// Turns faults of the store into <see cref="ServiceUnavailableException"/> at the grain boundary. The driver's own
/// exceptions (e.g. NpgsqlException) cannot be serialized to a client, which would then see an unrelated codec
/// error; and a caller must be able to tell "retry later" from a bug.
/// </summary>
internal sealed partial class TransientFaultFilter(ILogger<TransientFaultFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (IsTransient(exception))
        {
            LogTransient(logger, exception, context.InterfaceMethod?.Name ?? "?", context.TargetId);
            throw new ServiceUnavailableException(
                $"The store did not complete {context.InterfaceMethod?.Name}: {exception.GetType().Name}. Nothing was changed; retry later.");
        }
    }

    internal static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                // InconsistentStateException passes as it is: Orleans deactivates the activation it escapes from, so
                // the next call reloads the stored state (the API answers it as 503 too).
                case DomainException or ServiceUnavailableException or InconsistentStateException:
                    return false;
                case DbException or TimeoutException or SocketException:
                    return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient store fault in {Method} on {Grain}")]
    private static partial void LogTransient(ILogger logger, Exception exception, string method, GrainId grain);
}
