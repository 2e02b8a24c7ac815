using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace Gnlc.Processes.Tests.Infrastructure;

/// <summary>Every change the Api acknowledged (answered 2xx), with the version it reported.</summary>
internal sealed class Ledger
{
    public ConcurrentDictionary<string, long> Registered { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> Drafts { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> MayorEndorsements { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> Submissions { get; } = new(StringComparer.Ordinal);

    /// <summary>City id → country of each endorsement a commission was told succeeded.</summary>
    public ConcurrentDictionary<string, string> Endorsements { get; } = new(StringComparer.Ordinal);

    /// <summary>The mayor's token of each registered city (reads go through it too).</summary>
    public ConcurrentDictionary<string, string> CityTokens { get; } = new(StringComparer.Ordinal);

    public int Acknowledged => Registered.Count + Drafts.Count + MayorEndorsements.Count + Submissions.Count + Endorsements.Count;
}

/// <summary>
/// Drives the application cycle through the HTTP API as front ends do: the coordinator registers a city and
/// schedules the period, the mayor saves the form, endorses and submits it, the National Commission endorses.
/// Each step counts as acknowledged only when its final answer is 2xx.
/// </summary>
internal sealed class Applicants(GnlcClient client, Ledger ledger, string periodId)
{
    private ConcurrentDictionary<string, Lazy<Task<string>>> _commissionTokens = new(StringComparer.Ordinal);

    public string PeriodId => periodId;

    public string CoordinatorToken { get; private set; } = "";

    public Ledger Ledger => ledger;

    /// <summary>The same ledger and tokens, through another client (so its figures hold only what it sends).</summary>
    public Applicants Through(GnlcClient other) =>
        new(other, ledger, periodId) { CoordinatorToken = CoordinatorToken, _commissionTokens = _commissionTokens };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        CoordinatorToken = await client.TokenAsync("coordinator", null, null, null, cancellationToken);
    }

    /// <summary>Schedules the period to open now on the cluster's clock (so it is Open at once).</summary>
    public async Task OpenPeriodAsync(CancellationToken cancellationToken)
    {
        var clock = await client.GetAsync("dev/clock", null, cancellationToken);
        var now = clock.Succeeded ? clock.String("now") : throw new InvalidOperationException($"No clock: {clock.Text}");
        var answer = await client.PostAsync("periods", CoordinatorToken, new { id = periodId, opensAt = now }, cancellationToken);
        if (!answer.Succeeded)
        {
            throw new InvalidOperationException($"The period was not scheduled: {answer.Status.ToString(CultureInfo.InvariantCulture)} {answer.Text}");
        }
    }

    /// <summary>The first <paramref name="count"/> Member States by code.</summary>
    public async Task<IReadOnlyList<string>> CountriesAsync(int count, CancellationToken cancellationToken)
    {
        var answer = await client.GetAsync("member-states?pageSize=100", null, cancellationToken);
        if (!answer.Succeeded || answer.Body.ValueKind != JsonValueKind.Object || !answer.Body.TryGetProperty("items", out var items))
        {
            throw new InvalidOperationException($"No Member States: {answer.Text}");
        }

        return [.. items.EnumerateArray().Select(state => state.GetProperty("code").GetString()!)
            .Where(code => code.Length == 2).Order(StringComparer.Ordinal).Take(count)];
    }

    public static string CityName(string country, int number) =>
        $"Learning City {country} {number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Registers a city; returns its id once acknowledged, null when the final answer was not 2xx.</summary>
    public async Task<string?> RegisterAsync(string country, int number, CancellationToken cancellationToken)
    {
        var name = CityName(country, number);
        var answer = await client.PostAsync(
            "cities", CoordinatorToken, new { name, countryCode = country, population = 100_000 + number, mayor = "Mayor of " + name }, cancellationToken);
        if (!answer.Succeeded)
        {
            return null;
        }

        var id = answer.String("id");
        ledger.Registered[id] = answer.Long("version");
        return id;
    }

    /// <summary>The mayor saves a complete form, endorses it and submits it. Returns false at the first step not acknowledged.</summary>
    public async Task<bool> ApplyAsync(string cityId, CancellationToken cancellationToken)
    {
        var token = await client.TokenAsync("city", null, cityId, "mayor", cancellationToken);
        ledger.CityTokens[cityId] = token;
        var path = $"cities/{cityId}/applications/{periodId}";
        var draft = await client.PutAsync(path, token, Form(cityId), cancellationToken);
        if (!draft.Succeeded)
        {
            return false;
        }

        ledger.Drafts[cityId] = draft.Long("version");
        var endorsement = await client.PostAsync(path + "/mayor-endorsement", token, new { statement = $"I endorse the application of {cityId}." }, cancellationToken);
        if (!endorsement.Succeeded)
        {
            return false;
        }

        ledger.MayorEndorsements[cityId] = endorsement.Long("version");
        var submitted = await client.PostAsync(path + "/submit", token, null, cancellationToken);
        if (!submitted.Succeeded)
        {
            return false;
        }

        ledger.Submissions[cityId] = submitted.Long("version");
        return true;
    }

    /// <summary>The city's commission endorses it; acknowledged when the answer is 2xx and lists the city as Endorsed.</summary>
    public async Task<Answer> EndorseAsync(string country, string cityId, CancellationToken cancellationToken)
    {
        var token = await CommissionTokenAsync(country, cancellationToken);
        var answer = await client.PostAsync($"commissions/{country}/periods/{periodId}/endorsements", token, new { cityId }, cancellationToken);
        if (answer.Succeeded && StatusIn(answer, cityId) == "Endorsed")
        {
            ledger.Endorsements[cityId] = country;
        }

        return answer;
    }

    public Task<string> CommissionTokenAsync(string country, CancellationToken cancellationToken) =>
        _commissionTokens.GetOrAdd(country, c => new Lazy<Task<string>>(() => client.TokenAsync("commission", c, null, null, cancellationToken))).Value;

    /// <summary>The status of <paramref name="cityId"/> in a commission page (<c>items</c>), or null.</summary>
    public static string? StatusIn(Answer commissionPage, string cityId)
    {
        ArgumentNullException.ThrowIfNull(commissionPage);
        if (commissionPage.Body.ValueKind != JsonValueKind.Object || !commissionPage.Body.TryGetProperty("items", out var items))
        {
            return null;
        }

        return items.EnumerateArray()
            .Where(item => item.GetProperty("cityId").GetString() == cityId)
            .Select(item => item.GetProperty("status").GetString())
            .FirstOrDefault();
    }

    private static object Form(string cityId) => new
    {
        population = 250_000,
        focalPoint = new { name = "Focal point of " + cityId, email = "focal@" + cityId + ".example.org" },
        motivation = "Lifelong learning for all in " + cityId,
        buildingBlocks = new
        {
            inclusiveLearningInEducation = "Inclusive learning from basic to higher education.",
            learningInFamiliesAndCommunities = "Revitalized learning in families and communities.",
            learningForAndInTheWorkplace = "Effective learning for and in the workplace.",
            modernLearningTechnologies = "Extended use of modern learning technologies.",
            qualityInLearning = "Enhanced quality and excellence in learning.",
            cultureOfLearningThroughoutLife = "A vibrant culture of learning throughout life.",
        },
        fundamentalConditions = new
        {
            politicalWillAndCommitment = "Strong political will and commitment.",
            governanceAndParticipation = "Governance and participation of all stakeholders.",
            mobilizationOfResources = "Mobilization and utilization of resources.",
        },
    };
}
