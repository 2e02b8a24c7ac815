using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Gnlc.Processes.Tests.Infrastructure;

/// <summary>What one test run sent and got back, for its assertions and for docs/RELIABILITY.md.</summary>
internal sealed class Figures
{
    private readonly ConcurrentDictionary<int, int> _byStatus = new();
    private readonly ConcurrentDictionary<string, int> _refusals = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _serverErrors = new();
    private int _requests;
    private int _unavailableWithoutRetryAfter;
    private int _noAnswer;

    /// <summary>HTTP requests sent (every attempt, retries included; the dev-token requests too).</summary>
    public int Requests => _requests;

    /// <summary>Requests that got no HTTP answer at all (connection refused or reset, client timeout).</summary>
    public int NoAnswer => _noAnswer;

    /// <summary>503 answers without a Retry-After header.</summary>
    public int UnavailableWithoutRetryAfter => _unavailableWithoutRetryAfter;

    public IReadOnlyDictionary<int, int> ByStatus => _byStatus;

    /// <summary>4xx answers by problem <c>code</c> (e.g. <c>quota-exceeded</c>).</summary>
    public IReadOnlyDictionary<string, int> Refusals => _refusals;

    /// <summary>The request and body of every 5xx answer other than 503.</summary>
    public IReadOnlyCollection<string> ServerErrors => _serverErrors;

    public int Count(int status) => _byStatus.GetValueOrDefault(status);

    public int ServerErrorCount => _byStatus.Where(pair => pair.Key >= 500 && pair.Key != 503).Sum(pair => pair.Value);

    public void Sent() => Interlocked.Increment(ref _requests);

    public void Record(string request, Answer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Status == 0)
        {
            Interlocked.Increment(ref _noAnswer);
            return;
        }

        _byStatus.AddOrUpdate(answer.Status, 1, (_, n) => n + 1);
        if (answer.Status == 503 && answer.RetryAfter is null)
        {
            Interlocked.Increment(ref _unavailableWithoutRetryAfter);
        }

        if (answer.Status is >= 400 and < 500)
        {
            _refusals.AddOrUpdate($"{answer.Status.ToString(CultureInfo.InvariantCulture)} {answer.Code ?? "?"}", 1, (_, n) => n + 1);
        }

        if (answer.Status >= 500 && answer.Status != 503)
        {
            _serverErrors.Enqueue($"{request} → {answer.Status.ToString(CultureInfo.InvariantCulture)} {answer.Text}");
        }
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"requests sent: {Requests}; no answer: {NoAnswer}; 503 without Retry-After: {UnavailableWithoutRetryAfter}")
            .AppendLine();
        text.Append("answers by status: ")
            .AppendJoin(", ", _byStatus.OrderBy(p => p.Key).Select(p => $"{p.Key.ToString(CultureInfo.InvariantCulture)}: {p.Value.ToString(CultureInfo.InvariantCulture)}"))
            .AppendLine();
        if (!_refusals.IsEmpty)
        {
            text.Append("4xx by code: ")
                .AppendJoin(", ", _refusals.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value.ToString(CultureInfo.InvariantCulture)}"))
                .AppendLine();
        }

        foreach (var error in _serverErrors.Take(10))
        {
            text.Append("server error: ").AppendLine(error);
        }

        return text.ToString();
    }
}
