using System.Collections.Immutable;
using Gnlc.Errors;
using Gnlc.Network;
using Gnlc.Notices;
using Gnlc.State;

namespace Gnlc.Domain;

/// <summary>
/// The network's directory and statistics: summaries per country shard, totals per country, and the
/// network totals, all computed from what the cities stored (never hard-coded).
/// </summary>
public static class DirectoryRules
{
    private static readonly StringComparer NameOrder = StringComparer.OrdinalIgnoreCase;

    /// <summary>Takes a city's latest summary into its country's shard (deduplicated by the city's version).</summary>
    public static DirectoryShardState Upsert(DirectoryShardState state, CitySummary summary)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(summary);
        if (state.Cities.GetValueOrDefault(summary.Id) is { } known && known.Version >= summary.Version)
        {
            return state;
        }

        return state with { Cities = state.Cities.With(summary.Id, summary), Version = state.Version + 1 };
    }

    /// <summary>One country's totals, as the statistics count them.</summary>
    public static CountryStats CountryStatsOf(string country, IEnumerable<CitySummary> cities, long version)
    {
        var all = cities.ToList();
        var members = all.Where(c => c.IsActiveMember).ToList();
        return new CountryStats(
            country, all.Count, members.Count, members.Sum(c => c.Population ?? 0), all.Count(c => c.AwardsCount > 0), version,
            members.Count(c => c.Population is not null));
    }

    /// <summary>Members are the cities admitted and neither suspended nor ended; inhabitants are theirs, where known.</summary>
    public static NetworkStats Totals(IEnumerable<CountryStats> countries)
    {
        var all = countries.ToList();
        return new NetworkStats(
            all.Sum(c => c.MemberCities),
            all.Count(c => c.MemberCities > 0),
            all.Sum(c => c.Inhabitants),
            all.Sum(c => c.Awardees),
            all.Sum(c => c.MembersWithPopulation));
    }

    /// <summary>Validates a directory query and normalizes its country.</summary>
    public static DirectoryQuery Normalize(DirectoryQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Page < 1 || query.PageSize < 1 || query.PageSize > DirectoryQuery.MaxPageSize)
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidQuery, $"'page' must be 1 or more and 'pageSize' between 1 and {DirectoryQuery.MaxPageSize}.");
        }

        var country = string.IsNullOrWhiteSpace(query.Country) ? null : GrainKeys.NormalizeCountry(query.Country);
        var q = string.IsNullOrWhiteSpace(query.Q) ? null : query.Q.Trim();
        return query with { Country = country, Q = q };
    }

    /// <summary>Directory order: by name, case-insensitively, then by id (so every city has one place).</summary>
    public static IComparer<CitySummary> DirectoryOrder { get; } = Comparer<CitySummary>.Create(static (a, b) =>
    {
        var byName = NameOrder.Compare(a.Name, b.Name);
        return byName != 0 ? byName : StringComparer.Ordinal.Compare(a.Id, b.Id);
    });

    public static bool Matches(CitySummary city, DirectoryQuery query) =>
        (query.Country is null || city.Country == query.Country)
        && (query.Status is null || city.Status == query.Status)
        && (query.Q is null || city.Name.Contains(query.Q, StringComparison.OrdinalIgnoreCase));

    public static IEnumerable<AwardListItem> Awards(IEnumerable<CitySummary> cities, int? year) =>
        cities.SelectMany(c => c.Awards.Where(a => year is null || a.Year == year)
            .Select(a => new AwardListItem(c.Id, c.Name, c.Country, a.Year, a.Citation, a.GrantedAt)));
}
