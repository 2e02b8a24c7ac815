using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gnlc.Silo.Events;

/// <summary>
/// Deletes expired events from the log while the silo is active: once at start, then every
/// <see cref="EventLogOptions.RetentionInterval"/>. Every silo runs it; the deletes are idempotent.
/// </summary>
internal sealed partial class EventLogRetention(
    IEventLogStore log,
    IOptions<EventLogOptions> options,
    TimeProvider time,
    ILogger<EventLogRetention> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(EventLogRetention), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    /// <summary>Deletes what has expired now; returns how many events were deleted.</summary>
    public Task<int> RunOnceAsync(CancellationToken cancellationToken) =>
        log.DeleteRecordedBeforeAsync(time.GetUtcNow() - options.Value.Retention, cancellationToken);

    public void Dispose() => _stopping.Dispose();

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionInterval, time);
        do
        {
            try
            {
                var deleted = await RunOnceAsync(stopping);
                if (deleted > 0)
                {
                    LogDeleted(logger, deleted, options.Value.Retention);
                }
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                // The next round tries again; expired events only wait a little longer.
                LogFailed(logger, exception);
            }
        }
        while (await WaitAsync(timer, stopping));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} events older than {Retention} from the event log.")]
    private static partial void LogDeleted(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired events from the event log failed; retrying at the next interval.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
