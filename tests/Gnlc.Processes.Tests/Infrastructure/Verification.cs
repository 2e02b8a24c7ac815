using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Npgsql;

namespace Gnlc.Processes.Tests.Infrastructure;

/// <summary>What a verification found: how many acknowledged writes it checked, which are lost, which invariants broke.</summary>
internal sealed record VerificationReport(int Checked, IReadOnlyList<string> Lost, IReadOnlyList<string> Violations, IReadOnlyDictionary<string, int> EndorsedPerCountry)
{
    public string Render()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"acknowledged writes checked: {Checked}; lost: {Lost.Count}; invariant violations: {Violations.Count}").AppendLine();
        foreach (var line in Lost.Concat(Violations).Take(20))
        {
            text.Append("  ").AppendLine(line);
        }

        return text.ToString();
    }
}

/// <summary>
/// Checks every acknowledged write three ways: readable through the HTTP API, stored in PostgreSQL (the grain's row in
/// <c>orleans_storage</c>), and on the durable event log (<c>gnlc_event_log</c>, by entity and version) when the change
/// is a status change; and checks the quota invariant from the API and from the event log. Event delivery is an outbox
/// retried after failures, so a check that fails is retried until <paramref name="patience"/> runs out; reading an
/// entity through the API activates its grain, which delivers what a dead silo left in its outbox.
/// </summary>
internal sealed class Verification(GnlcClient client, Applicants applicants, string connectionString, string serviceId, TimeSpan patience)
{
    private const int Quota = 3;

    private string PeriodId => applicants.PeriodId;

    private Ledger Ledger => applicants.Ledger;

    public async Task<VerificationReport> RunAsync(CancellationToken cancellationToken)
    {
        var checks = Checks();
        var deadline = DateTime.UtcNow + patience;
        var failing = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var pending = checks.Keys.ToList();
        while (true)
        {
            var snapshot = await SnapshotAsync(cancellationToken);
            failing.Clear();
            await Parallel.ForEachAsync(
                pending,
                new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (name, token) =>
                {
                    if (await checks[name](snapshot, token) is { } problem)
                    {
                        failing[name] = problem;
                    }
                });
            pending = [.. failing.Keys];
            if (pending.Count == 0 || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        var lost = new List<string>();
        foreach (var (name, problem) in failing.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            lost.Add($"{name}: {problem}; {await EvidenceAsync(name.Split(' ').First(w => w.Length > 3 && w[2] == '-'), cancellationToken)}");
        }

        var (violations, endorsed) = await InvariantsAsync(await SnapshotAsync(cancellationToken), cancellationToken);
        return new VerificationReport(checks.Count, lost, violations, endorsed);
    }

    private Dictionary<string, Func<Snapshot, CancellationToken, Task<string?>>> Checks()
    {
        var checks = new Dictionary<string, Func<Snapshot, CancellationToken, Task<string?>>>(StringComparer.Ordinal);
        foreach (var (cityId, version) in Ledger.Registered)
        {
            checks[$"registration of {cityId} (v{version})"] = async (snapshot, token) =>
            {
                var city = await client.GetAsync($"cities/{cityId}", TokenOf(cityId), token);
                return !city.Succeeded ? $"GET city answered {city.Status}: {city.Text}"
                    : city.Long("version") < version ? $"the API reads version {city.Long("version")} < acknowledged {version}"
                    : !snapshot.Rows.Contains(CityRow(cityId)) ? "no orleans_storage row"
                    : !snapshot.Events.Contains(("City", cityId, version, "CityRegistered")) ? "no CityRegistered event at that version"
                    : null;
            };
        }

        foreach (var (step, acknowledged) in new[] { ("draft", Ledger.Drafts), ("mayor endorsement", Ledger.MayorEndorsements) })
        {
            foreach (var (cityId, version) in acknowledged)
            {
                checks[$"{step} of {cityId} (v{version})"] = async (snapshot, token) =>
                {
                    var application = await ReadApplicationAsync(cityId, token);
                    return !application.Succeeded ? $"GET application answered {application.Status}: {application.Text}"
                        : application.Long("version") < version ? $"the API reads version {application.Long("version")} < acknowledged {version}"
                        : !snapshot.Rows.Contains(ApplicationRow(cityId)) ? "no orleans_storage row"
                        : null;
                };
            }
        }

        foreach (var (cityId, version) in Ledger.Submissions)
        {
            checks[$"submission of {cityId} (v{version})"] = async (snapshot, token) =>
            {
                var application = await ReadApplicationAsync(cityId, token);
                return !application.Succeeded ? $"GET application answered {application.Status}: {application.Text}"
                    : application.String("status") is not ("Submitted" or "Endorsed") ? $"status {application.String("status")}"
                    : !snapshot.Rows.Contains(ApplicationRow(cityId)) ? "no orleans_storage row"
                    : !snapshot.Events.Contains(("Application", ApplicationEntity(cityId), version, "ApplicationSubmitted")) ? "no ApplicationSubmitted event at that version"
                    : null;
            };
        }

        foreach (var (cityId, country) in Ledger.Endorsements)
        {
            checks[$"endorsement of {cityId} by {country}"] = async (snapshot, token) =>
            {
                var page = await client.GetAsync(CommissionPath(country), await applicants.CommissionTokenAsync(country, token), token);
                var application = await ReadApplicationAsync(cityId, token);
                return !page.Succeeded ? $"GET commission answered {page.Status}: {page.Text}"
                    : Applicants.StatusIn(page, cityId) != "Endorsed" ? $"the commission lists it as {Applicants.StatusIn(page, cityId) ?? "absent"}"
                    : !application.Succeeded ? $"GET application answered {application.Status}"
                    : application.String("status") != "Endorsed" ? $"the application reads {application.String("status")}"
                    : !snapshot.Events.Any(e => e.Kind == "Application" && e.Id == ApplicationEntity(cityId) && e.Type == "ApplicationEndorsed") ? "no ApplicationEndorsed event"
                    : null;
            };
        }

        return checks;
    }

    /// <summary>No commission above its quota, by the API and by the event log; every endorsement event matches the state.</summary>
    private async Task<(List<string> Violations, Dictionary<string, int> EndorsedPerCountry)> InvariantsAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var violations = new ConcurrentBag<string>();
        var endorsed = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var countries = Ledger.Registered.Keys.Select(id => id[..2].ToUpperInvariant()).Distinct().ToList();
        await Parallel.ForEachAsync(countries, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (country, token) =>
        {
            var page = await client.GetAsync(CommissionPath(country), await applicants.CommissionTokenAsync(country, token), token);
            if (!page.Succeeded)
            {
                // A country none of whose cities submitted has no commission state for the period yet.
                if (page.Status != 404)
                {
                    violations.Add($"commission {country}: GET answered {page.Status}");
                }

                return;
            }

            var items = page.Body.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("status").GetString() == "Endorsed").Count();
            var count = page.Body.GetProperty("endorsedCount").GetInt32();
            endorsed[country] = count;
            if (count > Quota || items > Quota)
            {
                violations.Add($"commission {country} has {count} endorsements ({items} listed), above the quota of {Quota}");
            }

            if (count != items)
            {
                violations.Add($"commission {country}: endorsedCount {count} but {items} items Endorsed");
            }
        });

        var prefix = PeriodId + "/";
        foreach (var group in snapshot.Events.Where(e => e.Kind == "Application" && e.Type == "ApplicationEndorsed" && e.Id.StartsWith(prefix, StringComparison.Ordinal))
                     .Select(e => e.Id).Distinct(StringComparer.Ordinal).GroupBy(id => id[prefix.Length..][..2]))
        {
            if (group.Count() > Quota)
            {
                violations.Add($"the event log holds endorsements of {group.Count()} applications of '{group.Key}': {string.Join(", ", group)}");
            }
        }

        foreach (var group in Ledger.Endorsements.GroupBy(p => p.Value, StringComparer.Ordinal).Where(g => g.Count() > Quota))
        {
            violations.Add($"{group.Count()} endorsements acknowledged to commission {group.Key}");
        }

        return ([.. violations], new Dictionary<string, int>(endorsed, StringComparer.Ordinal));
    }

    /// <summary>What PostgreSQL holds of a city and its application: event log rows and storage row versions.</summary>
    private async Task<string> EvidenceAsync(string cityId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var text = new StringBuilder("evidence: events ");
        await using (var command = new NpgsqlCommand(
            "SELECT entity_kind, type, version, position, recorded_at FROM gnlc_event_log WHERE entity_id IN (@city, @application) ORDER BY position", connection))
        {
            command.Parameters.AddWithValue("city", cityId);
            command.Parameters.AddWithValue("application", ApplicationEntity(cityId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                text.Append(CultureInfo.InvariantCulture, $"[{reader.GetString(0)} {reader.GetString(1)} v{reader.GetInt64(2)} #{reader.GetInt64(3)} at {reader.GetDateTime(4):HH:mm:ss.fff}] ");
            }
        }

        text.Append("; storage ");
        await using (var command = new NpgsqlCommand(
            "SELECT grain_id_extension, version, modified_on FROM orleans_storage WHERE service_id = @service AND (grain_id_extension IN (@city, @application) OR lower(grain_id_extension) = @commission)", connection))
        {
            command.Parameters.AddWithValue("service", serviceId);
            command.Parameters.AddWithValue("city", CityRow(cityId));
            command.Parameters.AddWithValue("application", ApplicationRow(cityId));
            command.Parameters.AddWithValue("commission", "gnlc-commission/nc-" + cityId[..2]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                text.Append(CultureInfo.InvariantCulture, $"[{reader.GetString(0)} write #{reader.GetInt32(1)} at {reader.GetDateTime(2):HH:mm:ss.fff}] ");
            }
        }

        return text.ToString();
    }

    private Task<Answer> ReadApplicationAsync(string cityId, CancellationToken cancellationToken) =>
        client.GetAsync($"cities/{cityId}/applications/{PeriodId}", TokenOf(cityId) ?? applicants.CoordinatorToken, cancellationToken);

    private string? TokenOf(string cityId) => Ledger.CityTokens.GetValueOrDefault(cityId);

    private string CommissionPath(string country) => $"commissions/{country}/periods/{PeriodId}/applications?pageSize=100";

    private string ApplicationEntity(string cityId) => $"{PeriodId}/{cityId}";

    private static string CityRow(string cityId) => "gnlc-city/" + cityId;

    private string ApplicationRow(string cityId) => $"gnlc-application/app:{PeriodId}:{cityId}";

    private async Task<Snapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var rows = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT grain_id_extension FROM orleans_storage WHERE service_id = @service AND payload IS NOT NULL", connection))
        {
            command.Parameters.AddWithValue("service", serviceId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(reader.GetString(0));
            }
        }

        var events = new HashSet<(string Kind, string Id, long Version, string Type)>();
        await using (var command = new NpgsqlCommand("SELECT entity_kind, entity_id, version, type FROM gnlc_event_log", connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3)));
            }
        }

        return new Snapshot(rows, events);
    }

    private sealed record Snapshot(HashSet<string> Rows, HashSet<(string Kind, string Id, long Version, string Type)> Events);
}
