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

    /// <summary>
    /// The one shared empty list of <typeparamref name="T"/> (a zero-length array, so it cannot be changed). A state
    /// that lives in every activation holds it instead of its own empty <see cref="List{T}"/> (32 B each). Both the
    /// Orleans serializer and System.Text.Json store it as an empty collection and read it back into the same field.
    /// </summary>
    public static IReadOnlyList<T> NoItems<T>() => [];

    /// <summary><paramref name="list"/>, or the shared empty list when it is empty (a freshly read state's empty lists).</summary>
    public static IReadOnlyList<T> SharedIfEmpty<T>(this IReadOnlyList<T> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return list.Count == 0 ? NoItems<T>() : list;
    }

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
