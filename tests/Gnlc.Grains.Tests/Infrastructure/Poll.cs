namespace Gnlc.Grains.Tests.Infrastructure;

/// <summary>Reads again until a condition holds: for what the grains do after their callers were answered.</summary>
public static class Poll
{
    /// <summary>
    /// The first value of <paramref name="read"/> for which <paramref name="done"/> holds, or the last one read when
    /// <paramref name="limit"/> has passed (the caller's assertion then says what was missing).
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan limit, TimeSpan interval)
    {
        var until = DateTime.UtcNow + limit;
        var value = await read();
        while (!done(value) && DateTime.UtcNow < until)
        {
            await Task.Delay(interval, TestContext.Current.CancellationToken);
            value = await read();
        }

        return value;
    }
}
