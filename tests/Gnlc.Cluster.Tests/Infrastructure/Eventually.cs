using System.Diagnostics;

namespace Gnlc.Cluster.Tests.Infrastructure;

/// <summary>Bounded polling for things a cluster does on its own schedule (heartbeats, failover, reminders).</summary>
internal static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed > timeout)
            {
                Assert.Fail($"Not within {timeout.TotalSeconds:0} s: {what}.");
            }

            await Task.Delay(Interval, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Calls <paramref name="call"/> until it returns without throwing (e.g. while the cluster notices a dead silo);
    /// after <paramref name="timeout"/> the last error fails the test.
    /// </summary>
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> call, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception error) when (elapsed.Elapsed < timeout && error is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
            {
                await Task.Delay(Interval, TestContext.Current.CancellationToken);
            }
        }
    }
}
