using System.Collections.Concurrent;
using System.Text.Json;
using Gnlc.Network;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Gnlc.Api.Http;

/// <summary>
/// Directory pages as the JSON the API sends, kept per query and reused while the directory's tag is unchanged. Every
/// request still asks the directory (one call, which returns only the tag when the page is current), so a page is never
/// older than the last acknowledged change; what is saved is computing, copying and serializing a 50-city page
/// (two thirds of the directory request's CPU in its profile) for the many reads between two changes.
/// </summary>
public sealed class DirectoryPages(IClusterClient cluster, IOptions<HttpJsonOptions> json)
{
    // Distinct queries kept at most; past it the cache starts again (popular pages return at once).
    private const int MaxPages = 1024;

    private readonly ConcurrentDictionary<DirectoryQuery, CachedPage> _pages = new();
    private IDirectoryGrain? _directory;

    public async Task<byte[]> JsonAsync(DirectoryQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var directory = _directory ??= cluster.GetGrain<IDirectoryGrain>(GrainKeys.Directory);
        _pages.TryGetValue(query, out var cached);
        var result = await directory.ListCitiesIfChangedAsync(query, cached?.Tag);
        if (result.Page is null)
        {
            return cached is not null && cached.Tag == result.Tag
                ? cached.Json
                : throw new InvalidOperationException("The directory sent no page for a tag this front end does not hold.");
        }

        var page = JsonSerializer.SerializeToUtf8Bytes(result.Page, json.Value.SerializerOptions);
        if (_pages.Count >= MaxPages)
        {
            _pages.Clear();
        }

        // A slower request may store an older page over a newer one: the next read then misses once, never reads stale.
        _pages[query] = new CachedPage(result.Tag, page);
        return page;
    }

    private sealed record CachedPage(DirectoryTag Tag, byte[] Json);
}
