namespace Gnlc.Api.Http;

/// <summary>A page of a list: <c>{items, page, pageSize, total}</c>.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>Paging parameters of every list: <c>page</c> ≥ 1, <c>pageSize</c> 1..500, default 50.</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>Adds errors for out-of-range values and returns the effective page and size.</summary>
    public static (int Page, int PageSize) Validate(int? page, int? pageSize, RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (page is < 1)
        {
            errors.Add("page", "page must be 1 or more.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        }

        return (page ?? 1, pageSize ?? DefaultPageSize);
    }

    /// <summary>One page of a list the grains return whole.</summary>
    public static Paged<T> Of<T>(IReadOnlyCollection<T> all, int page, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(all);
        var skip = (long)(page - 1) * pageSize;
        var items = skip >= all.Count ? [] : all.Skip((int)skip).Take(pageSize).ToList();
        return new Paged<T>(items, page, pageSize, all.Count);
    }
}
