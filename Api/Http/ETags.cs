using System.Globalization;
using Gnlc.Api.Errors;
using Gnlc.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Gnlc.Api.Http;

/// <summary>
/// Entity tags of cities, applications and periods (<c>"v12"</c> from the view's <c>Version</c>) and the
/// <c>If-Match</c> precondition of requests that change them (API.md "Errors": 412).
/// </summary>
public static class ETags
{
    public static string For(long version) => string.Create(CultureInfo.InvariantCulture, $"\"v{version}\"");

    public static void Set(HttpContext http, long version)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.ETag = For(version);
    }

    /// <summary>
    /// Null when the request has no <c>If-Match</c> or it matches the current version; else the 412 problem
    /// to answer. <paramref name="currentVersion"/> is read only when the header is present; it returns
    /// null when the resource does not exist (no tag then matches, not even <c>*</c>).
    /// </summary>
    /// <remarks>
    /// The grain contracts take no expected version, so this reads the version and then the caller
    /// acts: a change landing between the two is not detected (a narrow race, accepted).
    /// </remarks>
    public static async Task<ProblemHttpResult?> CheckIfMatchAsync(HttpContext http, Func<Task<long?>> currentVersion)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(currentVersion);
        var header = http.Request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return null;
        }

        if (!EntityTagHeaderValue.TryParseStrictList(header, out var tags) || tags.Count == 0)
        {
            throw RequestProblemException.Invalid("If-Match", "If-Match must be '*' or a list of entity tags such as \"v3\".");
        }

        var version = await currentVersion();
        if (version is { } current)
        {
            var etag = new EntityTagHeaderValue(For(current));
            if (tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: true)))
            {
                return null;
            }

            Set(http, current);
        }

        return TypedResults.Problem(
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "Precondition failed",
            detail: version is { } v
                ? $"If-Match {header} does not match the current version {For(v)}: the resource has changed."
                : $"If-Match {header} does not match: the resource does not exist.",
            extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.PreconditionFailed });
    }

    /// <summary>The version of a resource that may not exist yet: null when the grain says it is not found.</summary>
    public static async Task<long?> VersionOrNullAsync(Func<Task<long>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read();
        }
        catch (DomainException exception) when (exception.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }
}
