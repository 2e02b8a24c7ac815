using System.Text.Json;
using Gnlc.Network;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Gnlc.Api.Http;

/// <summary>
/// The network statistics' JSON, kept while the directory returns equal figures (every request still asks it), as
/// <see cref="CityJson"/> does for cities: the figures change with each admission, the reads are many more.
/// </summary>
public sealed class NetworkStatsJson(IOptions<HttpJsonOptions> json)
{
    private Latest? _latest;

    public byte[] Of(NetworkStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        // All its fields are numbers: the record's equality is exact.
        if (Volatile.Read(ref _latest) is { } latest && latest.Stats.Equals(stats))
        {
            return latest.Json;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(stats, json.Value.SerializerOptions);
        Volatile.Write(ref _latest, new Latest(stats, bytes));
        return bytes;
    }

    private sealed record Latest(NetworkStats Stats, byte[] Json);
}
