using System.Collections.Concurrent;

namespace Gnlc.Api.Http;

/// <summary>
/// A per-key cache for the read path that holds at most about <c>capacity</c> keys and starts again when full (the
/// frequently read keys come back at once). Its size is counted on the side: <see cref="ConcurrentDictionary{TKey,TValue}.Count"/>
/// takes every lock of the dictionary, which, called on every miss, serialised the city GETs once the cities outnumbered
/// the capacity (100,000 cities: 0.38 of the throughput at 10,000).
/// </summary>
public sealed class BoundedCache<TValue>(int capacity)
    where TValue : class
{
    private readonly ConcurrentDictionary<string, TValue> _items = new(StringComparer.Ordinal);
    private int _added;

    /// <summary>How many keys are kept now. Takes every lock of the dictionary: for tests and diagnostics only.</summary>
    public int Count => _items.Count;

    public bool TryGet(string key, out TValue value) => _items.TryGetValue(key, out value!);

    /// <summary>Drops <paramref name="key"/> if it still holds <paramref name="value"/>.</summary>
    public void Remove(string key, TValue value) => _items.TryRemove(KeyValuePair.Create(key, value));

    /// <summary>Keeps <paramref name="value"/> for <paramref name="key"/>, replacing what was kept for it.</summary>
    public void Set(string key, TValue value)
    {
        if (_items.TryAdd(key, value))
        {
            // Approximate under races, which only moves the next restart by a few keys.
            if (Interlocked.Increment(ref _added) > capacity)
            {
                Interlocked.Exchange(ref _added, 0);
                _items.Clear();
            }

            return;
        }

        _items[key] = value;
    }
}
