namespace Gnlc.Processes.Tests.Infrastructure;

/// <summary>
/// A steady write load: workers take the next city number and run its whole cycle (register, draft, mayor's
/// endorsement, submission, the commission's endorsement) until told to stop; a cycle under way always finishes, so
/// every request gets its final answer.
/// </summary>
internal sealed class Load(Applicants applicants, IReadOnlyList<string> countries, int concurrency, int maxCities)
{
    private int _next;
    private int _completed;

    /// <summary>City cycles started.</summary>
    public int Started => Math.Min(_next, maxCities);

    /// <summary>City cycles that reached a final answer on every step they took.</summary>
    public int Completed => _completed;

    public async Task RunAsync(CancellationToken stop, CancellationToken cancellationToken)
    {
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(
            async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var number = Interlocked.Increment(ref _next);
                    if (number > maxCities)
                    {
                        return;
                    }

                    await CycleAsync(number, cancellationToken);
                    Interlocked.Increment(ref _completed);
                }
            },
            cancellationToken));
        await Task.WhenAll(workers);
    }

    private async Task CycleAsync(int number, CancellationToken cancellationToken)
    {
        var country = countries[number % countries.Count];
        var cityId = await applicants.RegisterAsync(country, number, cancellationToken);
        if (cityId is null || !await applicants.ApplyAsync(cityId, cancellationToken))
        {
            return;
        }

        await applicants.EndorseAsync(country, cityId, cancellationToken);
    }
}
