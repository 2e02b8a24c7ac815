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

    /// <summary>Takes a city's latest summary (deduplicated by the city's version) and refreshes the country totals.</summary>
    public static DirectoryShardState Upsert(DirectoryShardState state, string country, CitySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (state.Cities.GetValueOrDefault(summary.Id) is { } known && known.Version >= summary.Version)
        {
            return state;
        }

        var next = state with { Cities = state.Cities.With(summary.Id, summary), Version = state.Version + 1 };
        return next with { PendingStats = CountryStatsOf(country, next.Cities.Values, next.Version) };
    }

    public static CountryStats CountryStatsOf(string country, IEnumerable<CitySummary> cities, long version)
    {
        var all = cities.ToList();
        var members = all.Where(c => c.IsActiveMember).ToList();
        return new CountryStats(
            country, all.Count, members.Count, members.Sum(c => c.Population ?? 0), all.Count(c => c.AwardsCount > 0), version,
            members.Count(c => c.Population is not null));
    }

    /// <summary>Takes a shard's latest totals (deduplicated by the shard's version).</summary>
    public static NetworkState ApplyCountryStats(NetworkState state, CountryStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        if (state.Countries.GetValueOrDefault(stats.Country) is { } known && known.Version >= stats.Version)
        {
            return state;
        }

        return state with { Countries = state.Countries.With(stats.Country, stats) };
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

    /// <summary>The matches of one shard: their count, and the first <paramref name="take"/> in directory order.</summary>
    public static (int Total, ImmutableArray<CitySummary> Items) Match(IEnumerable<CitySummary> cities, DirectoryQuery query, int take)
    {
        var matches = cities.Where(c => Matches(c, query)).ToList();
        return (matches.Count, [.. Order(matches).Take(take)]);
    }

    /// <summary>Merges the shards' ordered heads into one page.</summary>
    public static DirectoryPage Page(IEnumerable<(int Total, ImmutableArray<CitySummary> Items)> shards, DirectoryQuery query)
    {
        var all = shards.ToList();
        var skip = (long)(query.Page - 1) * query.PageSize;
        var items = Order(all.SelectMany(s => s.Items)).Skip((int)Math.Min(skip, int.MaxValue)).Take(query.PageSize);
        return new DirectoryPage([.. items], query.Page, query.PageSize, all.Sum(s => s.Total));
    }

    /// <summary>How many of a shard's first matches a page needs.</summary>
    public static int HeadSize(DirectoryQuery query) => (int)Math.Min((long)query.Page * query.PageSize, int.MaxValue);

    public static bool Matches(CitySummary city, DirectoryQuery query) =>
        (query.Country is null || city.Country == query.Country)
        && (query.Status is null || city.Status == query.Status)
        && (query.Q is null || city.Name.Contains(query.Q, StringComparison.OrdinalIgnoreCase));

    public static IEnumerable<AwardListItem> Awards(IEnumerable<CitySummary> cities, int? year) =>
        cities.SelectMany(c => c.Awards.Where(a => year is null || a.Year == year)
            .Select(a => new AwardListItem(c.Id, c.Name, c.Country, a.Year, a.Citation, a.GrantedAt)));

    private static IEnumerable<CitySummary> Order(IEnumerable<CitySummary> cities) =>
        cities.OrderBy(c => c.Name, NameOrder).ThenBy(c => c.Id, StringComparer.Ordinal);
}
