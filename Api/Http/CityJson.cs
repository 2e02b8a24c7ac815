using System.Text.Json;
using Gnlc.Cities;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Gnlc.Api.Http;

/// <summary>
/// A city's JSON as the API sends it, kept per city and reused while the grain returns the same view. Every GET still
/// asks the grain, so the answer is never older than the last acknowledged change; what is saved is serializing the
/// view (about a tenth of the embedded city GET's CPU in its profile) for the many reads between two changes.
/// </summary>
/// <remarks>
/// The JSON is reused only for a view equal in every field that is written, compared by value, so a view of another
/// content can never get it (in the embedded mode the grain returns the very same instance, the cheapest case).
/// </remarks>
public sealed class CityJson(IOptions<HttpJsonOptions> json)
{
    // Cities kept at most; past it the cache starts again (frequently read cities return at once).
    private readonly BoundedCache<Entry> _cities = new(16_384);

    /// <summary>The view's JSON and its entity tag.</summary>
    public Entry Of(CityView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (_cities.TryGet(view.Id, out var cached) && CityViews.SameContent(cached.View, view))
        {
            return cached;
        }

        var entry = new Entry(view, JsonSerializer.SerializeToUtf8Bytes(view, json.Value.SerializerOptions), ETags.For(view.Version));
        // A slower request may store an older view over a newer one: the next read then misses once, never reads stale.
        _cities.Set(view.Id, entry);
        return entry;
    }

    /// <summary>A view, its JSON and its ETag header value.</summary>
    public sealed record Entry(CityView View, byte[] Json, string ETag);
}
