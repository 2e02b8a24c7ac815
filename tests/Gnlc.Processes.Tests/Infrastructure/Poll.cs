namespace Gnlc.Processes.Tests.Infrastructure;

/// <summary>Waits for a condition by polling it, never by sleeping a fixed time.</summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Exception? lastError = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                lastError = error;
            }

            try
            {
                await Task.Delay(Interval, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.{(lastError is null ? "" : " Last error: " + lastError.Message)}", lastError);
            }
        }
    }
}
