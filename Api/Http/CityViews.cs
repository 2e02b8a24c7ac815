using System.Collections.Immutable;
using Gnlc.Cities;

namespace Gnlc.Api.Http;

/// <summary>Value comparison of city views: the record's own equality compares its collections by reference.</summary>
public static class CityViews
{
    /// <summary>
    /// True when both views write the same JSON. False negatives are harmless (the view is serialized again); the
    /// offsets of dates count, because they are written.
    /// </summary>
    public static bool SameContent(CityView a, CityView b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        return a.Version == b.Version
            && a.Status == b.Status
            && a.Population == b.Population
            && string.Equals(a.Id, b.Id, StringComparison.Ordinal)
            && string.Equals(a.Name, b.Name, StringComparison.Ordinal)
            && string.Equals(a.Country, b.Country, StringComparison.Ordinal)
            && string.Equals(a.Mayor, b.Mayor, StringComparison.Ordinal)
            && string.Equals(a.StatusReason, b.StatusReason, StringComparison.Ordinal)
            && Same(a.MemberSince, b.MemberSince)
            && Same(a.NextReportDue, b.NextReportDue)
            && SameAll(a.Representatives, b.Representatives, static (x, y) => string.Equals(x, y, StringComparison.Ordinal))
            && SameAll(a.Awards, b.Awards, static (x, y) => x.Year == y.Year
                && string.Equals(x.Citation, y.Citation, StringComparison.Ordinal) && x.GrantedAt.EqualsExact(y.GrantedAt))
            && SameAll(a.ProgressReports, b.ProgressReports, static (x, y) => x.DueAt.EqualsExact(y.DueAt)
                && x.FiledAt.EqualsExact(y.FiledAt) && string.Equals(x.Summary, y.Summary, StringComparison.Ordinal)
                && SameOrder(x.KeyFeatures, y.KeyFeatures));
    }

    private static bool Same(DateTimeOffset? a, DateTimeOffset? b) =>
        a is { } x ? b is { } y && x.EqualsExact(y) : b is null;

    private static bool SameAll<T>(ImmutableArray<T> a, ImmutableArray<T> b, Func<T, T, bool> same)
    {
        if (a.IsDefault || b.IsDefault)
        {
            return a.IsDefault && b.IsDefault;
        }

        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!same(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    // The same entries in the same order (the order they are written in).
    private static bool SameOrder(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        using var left = a.GetEnumerator();
        using var right = b.GetEnumerator();
        while (left.MoveNext() && right.MoveNext())
        {
            if (!string.Equals(left.Current.Key, right.Current.Key, StringComparison.Ordinal)
                || !string.Equals(left.Current.Value, right.Current.Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
