using Gnlc.Api.Http;

namespace Gnlc.Api.Tests;

/// <summary>The read path's per-key cache: keeps, replaces, and starts again once it holds more than its capacity.</summary>
public sealed class BoundedCacheTests
{
    [Fact]
    public void A_kept_value_is_found_and_a_new_one_replaces_it()
    {
        var cache = new BoundedCache<string>(4);
        Assert.False(cache.TryGet("a", out _));
        cache.Set("a", "1");
        Assert.True(cache.TryGet("a", out var first));
        Assert.Equal("1", first);
        cache.Set("a", "2");
        Assert.True(cache.TryGet("a", out var second));
        Assert.Equal("2", second);
    }

    [Fact]
    public void Replacing_a_key_does_not_count_towards_the_capacity()
    {
        var cache = new BoundedCache<string>(2);
        cache.Set("a", "1");
        cache.Set("b", "1");
        for (var i = 0; i < 10; i++)
        {
            cache.Set("a", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.True(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("b", out _));
    }

    [Fact]
    public void More_keys_than_the_capacity_start_the_cache_again()
    {
        var cache = new BoundedCache<string>(2);
        cache.Set("a", "1");
        cache.Set("b", "1");
        cache.Set("c", "1");
        Assert.False(cache.TryGet("a", out _));
        Assert.False(cache.TryGet("b", out _));
        cache.Set("d", "1");
        Assert.True(cache.TryGet("d", out _));
    }
}
