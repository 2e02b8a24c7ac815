using System.Collections.Concurrent;
using Orleans.Storage;

namespace Gnlc.Grains.Tests.Infrastructure;

/// <summary>
/// Grain state kept in the test process, shared by every silo of the cluster. Orleans' memory storage
/// keeps state in grains that die with their silo; this store survives <c>KillSiloAsync</c>, so a
/// test can prove that no acknowledged change is lost when a silo dies.
/// </summary>
public sealed class SharedGrainStore
{
    private readonly ConcurrentDictionary<string, (BinaryData Data, string ETag)> _rows = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, Task> _lostWrites = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Keys => [.. _rows.Keys];

    /// <summary>
    /// Writes of <paramref name="key"/> wait until <paramref name="release"/> completes, then fail and store nothing,
    /// as a write whose connection is lost mid-way does. Dispose the result to write normally again.
    /// </summary>
    public IDisposable LoseWrites(string key, Task release)
    {
        _lostWrites[key] = release;
        return new Restore(() => _lostWrites.TryRemove(key, out _));
    }

    /// <summary>What a write of <paramref name="key"/> waits for before it fails, or null when it is written.</summary>
    public Task? LostWrite(string key) => _lostWrites.TryGetValue(key, out var release) ? release : null;

    public bool TryRead(string key, out BinaryData data, out string etag)
    {
        var found = _rows.TryGetValue(key, out var row);
        (data, etag) = found ? row : (BinaryData.Empty, string.Empty);
        return found;
    }

    /// <summary>Writes when <paramref name="expectedETag"/> matches the stored one (optimistic concurrency).</summary>
    public string Write(string key, BinaryData data, string? expectedETag)
    {
        lock (_gate)
        {
            var current = _rows.TryGetValue(key, out var row) ? row.ETag : null;
            if (current != (string.IsNullOrEmpty(expectedETag) ? null : expectedETag))
            {
                throw new InconsistentStateException($"ETag mismatch for {key}", current ?? "(none)", expectedETag ?? "(none)");
            }

            var etag = Guid.NewGuid().ToString("N");
            _rows[key] = (data, etag);
            return etag;
        }
    }

    public void Clear(string key)
    {
        lock (_gate)
        {
            _rows.TryRemove(key, out _);
        }
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}

/// <summary>An <see cref="IGrainStorage"/> over <see cref="SharedGrainStore"/>, serializing with the silo's grain storage serializer.</summary>
public sealed class SharedGrainStorage(SharedGrainStore store, IGrainStorageSerializer serializer) : IGrainStorage
{
    public static string KeyOf(string stateName, GrainId grainId) => $"{stateName}|{grainId}";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (store.TryRead(KeyOf(stateName, grainId), out var data, out var etag))
        {
            grainState.State = serializer.Deserialize<T>(data);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = KeyOf(stateName, grainId);
        if (store.LostWrite(key) is { } release)
        {
            await release;
            throw new IOException($"Injected storage failure: the write of {key} was lost.");
        }

        grainState.ETag = store.Write(key, serializer.Serialize(grainState.State), grainState.ETag);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        store.Clear(KeyOf(stateName, grainId));
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
