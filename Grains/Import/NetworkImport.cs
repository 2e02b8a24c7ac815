using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Gnlc.Actors;
using Gnlc.Cities;
using Gnlc.Domain;
using Gnlc.Errors;
using Gnlc.Reference;

namespace Gnlc.Import;

/// <summary>A member to import: <c>year_joined</c> Y means memberSince Y-01-01T00:00Z; an explicit memberSince wins.</summary>
public sealed record MemberImportRow(
    int Row,
    string? City,
    string? Country,
    int? YearJoined = null,
    DateTimeOffset? MemberSince = null,
    long? Population = null,
    string? Mayor = null,
    string? Problem = null);

/// <summary>An award to import: the edition year's award to a city (registered as a member first if absent).</summary>
public sealed record AwardImportRow(int Row, int? Edition, string? City, string? Country, string? Citation = null, string? Problem = null);

/// <summary>A refused row: its number (the CSV line, header = 1; or the JSON array index + 1), why, and the problem code.</summary>
public sealed record ImportRefusal(int Row, string Reason, string Code);

/// <summary>What an import did: rows that changed something, rows that changed nothing, rows refused (each all or nothing).</summary>
public sealed record ImportReport(int Imported, int Unchanged, ImmutableArray<ImportRefusal> Refused);

/// <summary>
/// Bulk import of existing members and awards through the grains' own operations (register with memberSince,
/// grant award), so every rule, index and event applies. Idempotent: a row already applied changes nothing
/// (the city's version does not move) and is reported unchanged.
/// </summary>
public static class NetworkImport
{
    /// <summary>Row code for a row that cannot be read (a missing column, a number that is not one).</summary>
    public const string InvalidRow = "invalid-import-row";

    /// <summary>
    /// memberSince of a member whose year of joining the data does not give: 1 January 2015, the first award
    /// edition, the earliest year the data evidences membership (the 2015 awardees were members). A placeholder,
    /// the same on every import, so that importing again changes nothing.
    /// </summary>
    public static readonly DateTimeOffset UnknownMemberSince = new(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The citation of an award whose data has none (the contracts require a non-empty citation).</summary>
    public static string NeutralCitation(int edition) => string.Create(CultureInfo.InvariantCulture, $"UNESCO Learning City Award {edition}");

    public static DateTimeOffset MemberSinceOf(MemberImportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.MemberSince ?? (row.YearJoined is { } year ? new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero) : UnknownMemberSince);
    }

    public static async Task<ImportReport> ImportMembersAsync(IGrainFactory grains, Actor actor, IEnumerable<MemberImportRow> rows)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(rows);
        ActorChecks.RequireCoordinator(actor);
        var report = new Tally();
        foreach (var row in rows)
        {
            await report.RunAsync(row.Row, async () =>
            {
                RequireReadable(row.Problem);
                if (row.YearJoined is { } year && row.MemberSince is { } since && since.Year != year)
                {
                    throw DomainErrors.Validation(InvalidRow, $"yearJoined {year} and memberSince {since:O} disagree.");
                }

                var (name, code) = Resolve(row.City, row.Country);
                var city = grains.GetGrain<ICityGrain>(GrainKeys.City(GrainKeys.NewCityId(code, name)));
                var before = await VersionAsync(city);
                var after = await city.RegisterAsync(actor, new RegisterCity(name, code, row.Population, row.Mayor, MemberSinceOf(row)));
                return after.Version != before;
            });
        }

        return report.Report();
    }

    public static async Task<ImportReport> ImportAwardsAsync(IGrainFactory grains, Actor actor, IEnumerable<AwardImportRow> rows)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(rows);
        ActorChecks.RequireCoordinator(actor);
        var report = new Tally();
        foreach (var row in rows)
        {
            await report.RunAsync(row.Row, async () =>
            {
                RequireReadable(row.Problem);
                // Checked before the city is touched, so that a refused row changes nothing.
                if (row.Edition is not { } edition || edition < CityRules.FirstAwardYear)
                {
                    throw DomainErrors.Validation(ErrorCodes.InvalidAwardYear, $"The award edition must be a year from {CityRules.FirstAwardYear}.");
                }

                var citation = string.IsNullOrWhiteSpace(row.Citation) ? NeutralCitation(edition) : row.Citation.Trim();
                var (name, code) = Resolve(row.City, row.Country);
                var city = grains.GetGrain<ICityGrain>(GrainKeys.City(GrainKeys.NewCityId(code, name)));
                var before = await VersionAsync(city);
                // Awardees are members: one absent from the network is imported as a member, in the same write as its award.
                var after = await city.ImportAwardAsync(actor, new RegisterCity(name, code, null, null, UnknownMemberSince), new GrantAward(edition, citation));
                return after.Version != before;
            });
        }

        return report.Report();
    }

    /// <summary>Reads members.csv's columns: city, country, year_joined (others ignored; population and mayor if present).</summary>
    public static IReadOnlyList<MemberImportRow> ParseMembersCsv(string text) =>
        ParseCsv(text, ["city", "country"], (line, get) =>
        {
            var problem = get("problem");
            var year = Number(get("year_joined"), "year_joined", ref problem);
            var population = Number(get("population"), "population", ref problem);
            return new MemberImportRow(line, get("city"), get("country"), (int?)year, null, population, Blank(get("mayor")), problem);
        });

    /// <summary>Reads awards.csv's columns: edition, city, country (others ignored; a citation if present).</summary>
    public static IReadOnlyList<AwardImportRow> ParseAwardsCsv(string text) =>
        ParseCsv(text, ["edition", "city", "country"], (line, get) =>
        {
            var problem = get("problem");
            var edition = Number(get("edition"), "edition", ref problem);
            return new AwardImportRow(line, (int?)edition, get("city"), get("country"), Blank(get("citation")), problem);
        });

    private static (string Name, string Code) Resolve(string? city, string? country)
    {
        var name = Text.Required(city, ErrorCodes.InvalidCityName, "city");
        if (!CountryNames.TryResolve(country, out var state))
        {
            throw DomainErrors.Validation(ErrorCodes.UnknownMemberState, $"'{country}' is not a UNESCO Member State or Associate Member (by ISO code or name).");
        }

        return (name, state.Code);
    }

    private static void RequireReadable(string? problem)
    {
        if (problem is not null)
        {
            throw DomainErrors.Validation(InvalidRow, problem);
        }
    }

    /// <summary>The city's version, or 0 when it is not registered.</summary>
    private static async Task<long> VersionAsync(ICityGrain city)
    {
        try
        {
            return (await city.GetAsync()).Version;
        }
        catch (DomainException e) when (e.Code == ErrorCodes.CityNotFound)
        {
            return 0;
        }
    }

    private static long? Number(string? text, string column, ref string? problem)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= int.MaxValue)
        {
            return value;
        }

        problem ??= $"'{column}' must be a whole number, not '{text}'.";
        return null;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Rows by CSV line number; a row that cannot be read carries its problem (the pseudo-column "problem").</summary>
    private static List<T> ParseCsv<T>(string text, string[] required, Func<int, Func<string, string?>, T> row)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var header = Split(lines[0].TrimStart('\uFEFF')).Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = required.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw DomainErrors.Validation(InvalidRow, $"The CSV header lacks the column(s) {string.Join(", ", missing)}.");
        }

        var rows = new List<T>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            var fields = Split(lines[i]);
            var line = i + 1;
            if (fields.Count != header.Count)
            {
                var problem = $"The row has {fields.Count} fields, the header {header.Count}.";
                rows.Add(row(line, column => column == "problem" ? problem : null));
                continue;
            }

            rows.Add(row(line, column => column != "problem" && header.IndexOf(column) is var at and >= 0 ? fields[at] : null));
        }

        return rows;
    }

    // RFC 4180 fields on one line: quotes may wrap commas and escape quotes by doubling.
    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    private sealed class Tally
    {
        private readonly List<ImportRefusal> _refused = [];
        private int _imported;
        private int _unchanged;

        public async Task RunAsync(int row, Func<Task<bool>> apply)
        {
            try
            {
                if (await apply())
                {
                    _imported++;
                }
                else
                {
                    _unchanged++;
                }
            }
            catch (DomainException e)
            {
                _refused.Add(new ImportRefusal(row, e.Message, e.Code));
            }
        }

        public ImportReport Report() => new(_imported, _unchanged, [.. _refused]);
    }
}
