using System.Collections.Immutable;
using Gnlc.Cities;
using Gnlc.Network;
using Gnlc.Notices;

namespace Gnlc.Domain;

/// <summary>
/// The whole directory in memory: every city's latest summary, kept in directory order overall, per country and per
/// status, with each country's totals. A page is a slice of one of these lists, so it costs its own size; only a
/// filter without a list of its own (a name search, or a status within one country) scans a list to count its matches.
/// </summary>
/// <remarks>Mutable, for one owner (the directory grain): the lists are updated in place, never shared.</remarks>
public sealed class DirectoryIndex
{
    private readonly Dictionary<string, CitySummary> _byId = new(StringComparer.Ordinal);
    private readonly List<CitySummary> _all = [];
    private readonly Dictionary<string, List<CitySummary>> _byCountry = new(StringComparer.Ordinal);
    private readonly Dictionary<CityStatus, List<CitySummary>> _byStatus = [];
    private readonly Dictionary<string, CountryStats> _countries = new(StringComparer.Ordinal);
    private NetworkStats? _stats;

    public int Count => _byId.Count;

    /// <summary>Bumped by every change: lets a reader tell whether what it computed is still current.</summary>
    public long Version { get; private set; }

    /// <summary>Takes a city's summary unless the index already holds that version or a later one.</summary>
    public bool Upsert(CitySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (_byId.TryGetValue(summary.Id, out var known))
        {
            if (known.Version >= summary.Version)
            {
                return false;
            }

            Remove(known);
        }

        _byId[summary.Id] = summary;
        Insert(_all, summary);
        Insert(ListOf(_byCountry, summary.Country), summary);
        Insert(ListOf(_byStatus, summary.Status), summary);
        Recount(summary.Country);
        if (known is not null && known.Country != summary.Country)
        {
            Recount(known.Country);
        }

        Changed();
        return true;
    }

    /// <summary>
    /// Takes many summaries at once (a rebuild from the shards): each where it is newer than what the index holds,
    /// then one sort per list instead of one insertion per summary.
    /// </summary>
    public void Load(IEnumerable<CitySummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        foreach (var summary in summaries)
        {
            if (!_byId.TryGetValue(summary.Id, out var known) || known.Version < summary.Version)
            {
                _byId[summary.Id] = summary;
            }
        }

        _all.Clear();
        _all.AddRange(_byId.Values);
        _all.Sort(DirectoryRules.DirectoryOrder);
        _byCountry.Clear();
        _byStatus.Clear();
        foreach (var city in _all)
        {
            // _all is in directory order, so each list is built in order too.
            ListOf(_byCountry, city.Country).Add(city);
            ListOf(_byStatus, city.Status).Add(city);
        }

        _countries.Clear();
        foreach (var country in _byCountry.Keys)
        {
            Recount(country);
        }

        Changed();
    }

    /// <summary>One page of the directory for a normalized query (<see cref="DirectoryRules.Normalize"/>).</summary>
    public DirectoryPage Page(DirectoryQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var source = query.Country is { } country ? _byCountry.GetValueOrDefault(country)
            : query.Status is { } status ? _byStatus.GetValueOrDefault(status)
            : _all;
        source ??= [];
        var skip = (long)(query.Page - 1) * query.PageSize;
        var needsScan = query.Q is not null || (query.Country is not null && query.Status is not null);
        if (!needsScan)
        {
            var start = (int)Math.Min(skip, source.Count);
            var count = Math.Min(query.PageSize, source.Count - start);
            return new DirectoryPage([.. source.GetRange(start, count)], query.Page, query.PageSize, source.Count);
        }

        var items = ImmutableArray.CreateBuilder<CitySummary>(Math.Min(query.PageSize, 64));
        var total = 0;
        foreach (var city in source)
        {
            if (!DirectoryRules.Matches(city, query))
            {
                continue;
            }

            if (total >= skip && items.Count < query.PageSize)
            {
                items.Add(city);
            }

            total++;
        }

        return new DirectoryPage(items.ToImmutable(), query.Page, query.PageSize, total);
    }

    /// <summary>The network's statistics, from each country's totals (computed once per change).</summary>
    public NetworkStats Stats => _stats ??= DirectoryRules.Totals(_countries.Values);

    /// <summary>One country's totals, as the statistics count them.</summary>
    public CountryStats? CountryTotals(string country) => _countries.GetValueOrDefault(country);

    /// <summary>Awards of the network or of one (normalized) country, newest year first.</summary>
    public ImmutableArray<AwardListItem> Awards(int? year, string? country)
    {
        var source = country is null ? _all : _byCountry.GetValueOrDefault(country) ?? [];
        return [.. DirectoryRules.Awards(source.Where(c => c.AwardsCount > 0), year)
            .OrderByDescending(a => a.Year).ThenBy(a => a.Country, StringComparer.Ordinal).ThenBy(a => a.CityName, StringComparer.OrdinalIgnoreCase)];
    }

    private void Remove(CitySummary known)
    {
        RemoveFrom(_all, known);
        RemoveFrom(_byCountry[known.Country], known);
        RemoveFrom(_byStatus[known.Status], known);
    }

    private void Recount(string country)
    {
        if (_byCountry.TryGetValue(country, out var cities) && cities.Count > 0)
        {
            _countries[country] = DirectoryRules.CountryStatsOf(country, cities, Version + 1);
        }
        else
        {
            _countries.Remove(country);
        }
    }

    private void Changed()
    {
        Version++;
        _stats = null;
    }

    private static List<CitySummary> ListOf<TKey>(Dictionary<TKey, List<CitySummary>> lists, TKey key)
        where TKey : notnull
    {
        if (!lists.TryGetValue(key, out var list))
        {
            list = [];
            lists[key] = list;
        }

        return list;
    }

    // Binary search by (name, id): ids are unique, so every summary has exactly one place.
    private static void Insert(List<CitySummary> list, CitySummary city)
    {
        var at = list.BinarySearch(city, DirectoryRules.DirectoryOrder);
        if (at >= 0)
        {
            list[at] = city;
        }
        else
        {
            list.Insert(~at, city);
        }
    }

    private static void RemoveFrom(List<CitySummary> list, CitySummary city)
    {
        var at = list.BinarySearch(city, DirectoryRules.DirectoryOrder);
        if (at >= 0)
        {
            list.RemoveAt(at);
        }
    }
}
