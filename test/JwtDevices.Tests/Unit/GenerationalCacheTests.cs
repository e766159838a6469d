using JwtDevices.Tokens;

namespace JwtDevices.Tests.Unit;

/// <summary>The bounded cache under validated tokens and device keys: its bound, and what it lets go first.</summary>
public sealed class GenerationalCacheTests
{
    [Fact]
    public void Cache_NeverHoldsMoreThanItsCapacity_HoweverManyKeysComeIn()
    {
        var cache = new GenerationalCache<string>(capacity: 100);

        for (var i = 0; i < 10_000; i++)
        {
            cache.Set($"key-{i}", "value");
            Assert.InRange(cache.Count, 0, 100);
        }
    }

    [Fact]
    public void AnEntryInUse_OutlivesManyGenerations_WhileAnUnusedOneGoes()
    {
        var cache = new GenerationalCache<string>(capacity: 100);
        cache.Set("in use", "kept");
        cache.Set("unused", "dropped");

        for (var i = 0; i < 1_000; i++)
        {
            cache.Set($"key-{i}", "value");
            Assert.True(cache.TryGet("in use", out var value));
            Assert.Equal("kept", value);
        }

        Assert.False(cache.TryGet("unused", out _));
    }

    [Fact]
    public void TheNewestEntries_AreStillThere_WhenTheCacheIsFull()
    {
        var cache = new GenerationalCache<string>(capacity: 100);

        for (var i = 0; i < 1_000; i++)
        {
            cache.Set($"key-{i}", $"value-{i}");
        }

        // At least a generation's worth (half the capacity) of the newest is always held.
        for (var i = 950; i < 1_000; i++)
        {
            Assert.True(cache.TryGet($"key-{i}", out var value));
            Assert.Equal($"value-{i}", value);
        }
        Assert.False(cache.TryGet("key-0", out _));
    }

    [Fact]
    public void ReplacingOrRemovingAnEntry_TakesNoNewRoom()
    {
        var cache = new GenerationalCache<string>(capacity: 100);
        cache.Set("stays", "value");

        // Ten thousand replacements and removals of a few keys: were they counted as new entries, "stays" would go.
        for (var i = 0; i < 10_000; i++)
        {
            cache.Set($"churn-{i % 2}", $"value-{i}");
            cache.Remove($"churn-{(i + 1) % 2}");
        }

        Assert.True(cache.TryGet("stays", out _));
        Assert.InRange(cache.Count, 1, 3);
    }

    [Fact]
    public void AddOrGet_KeepsTheEntryThatCameFirst()
    {
        var cache = new GenerationalCache<string>(capacity: 100);

        Assert.Equal("first", cache.AddOrGet("key", "first"));
        Assert.Equal("first", cache.AddOrGet("key", "second"));
        Assert.True(cache.TryGet("key", out var value));
        Assert.Equal("first", value);
    }
}
