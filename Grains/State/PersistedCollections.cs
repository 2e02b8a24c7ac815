namespace Gnlc.State;

/// <summary>
/// Copy-on-write helpers for state collections. State holds plain <see cref="List{T}"/> and
/// <see cref="Dictionary{TKey,TValue}"/> behind read-only interfaces: Orleans' default storage serializer
/// (Newtonsoft JSON, preserving references) cannot read immutable collections back, and System.Text.Json
/// and the Orleans serializer read these too. Rules never mutate a collection; they build a new one.
/// </summary>
public static class PersistedCollections
{
    public static IReadOnlyList<T> EmptyList<T>() => new List<T>();

    public static IReadOnlyDictionary<TKey, TValue> EmptyMap<TKey, TValue>()
        where TKey : notnull => new Dictionary<TKey, TValue>();

    public static IReadOnlyList<T> With<T>(this IReadOnlyList<T> list, T item)
    {
        ArgumentNullException.ThrowIfNull(list);
        return new List<T>(list) { item };
    }

    public static IReadOnlyDictionary<TKey, TValue> With<TKey, TValue>(this IReadOnlyDictionary<TKey, TValue> map, TKey key, TValue value)
        where TKey : notnull
    {
        var copy = new Dictionary<TKey, TValue>(map) { [key] = value };
        return copy;
    }

    public static IReadOnlyDictionary<TKey, TValue> Without<TKey, TValue>(this IReadOnlyDictionary<TKey, TValue> map, TKey key)
        where TKey : notnull
    {
        var copy = new Dictionary<TKey, TValue>(map);
        copy.Remove(key);
        return copy;
    }
}
