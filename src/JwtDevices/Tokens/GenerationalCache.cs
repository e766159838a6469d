using System.Collections.Concurrent;

namespace JwtDevices.Tokens;

/// <summary>
/// A bounded cache, cheap to fill: two generations of at most half the capacity each. Entries go into the
/// current one; when it is full it becomes the previous one and the old previous one is dropped whole. An
/// entry found in the previous generation moves to the current one, so what is in use stays and only what
/// went unused for a whole generation leaves. Adding costs a dictionary insert and an interlocked
/// increment (never <see cref="ConcurrentDictionary{TKey,TValue}.Count"/>, which takes every lock), and
/// nothing ever scans or sorts the entries. At most <c>capacity</c> entries are held, give or take the
/// inserts that race a change of generation.
/// </summary>
internal sealed class GenerationalCache<TValue>
    where TValue : class
{
    private readonly int _generationSize;
    private Generations _generations;

    /// <param name="capacity">The most entries held, both generations together; at least 2.</param>
    public GenerationalCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _generationSize = capacity / 2;
        _generations = new Generations(new Generation(_generationSize), new Generation(0));
    }

    /// <summary>The entries held now, both generations together (an entry moved forward counts twice); for tests.</summary>
    internal int Count
    {
        get
        {
            var generations = Volatile.Read(ref _generations);
            return generations.Current.Entries.Count + generations.Previous.Entries.Count;
        }
    }

    public bool TryGet(string key, out TValue value)
    {
        var generations = Volatile.Read(ref _generations);
        if (generations.Current.Entries.TryGetValue(key, out value!))
        {
            return true;
        }
        if (generations.Previous.Entries.TryGetValue(key, out value!))
        {
            // Still in use: it moves forward, and so outlives the next change of generation.
            value = AddOrGet(key, value);
            return true;
        }
        return false;
    }

    /// <summary>Adds the entry unless the key has one already; returns the one the cache now holds.</summary>
    public TValue AddOrGet(string key, TValue value)
    {
        var generations = Volatile.Read(ref _generations);
        var current = generations.Current;
        if (current.Entries.TryAdd(key, value))
        {
            Counted(generations);
            return value;
        }
        return current.Entries.TryGetValue(key, out var held) ? held : value;
    }

    /// <summary>Adds or replaces the entry of the key.</summary>
    public void Set(string key, TValue value)
    {
        var generations = Volatile.Read(ref _generations);
        var current = generations.Current;
        if (current.Entries.TryAdd(key, value))
        {
            Counted(generations);
        }
        else
        {
            current.Entries[key] = value;
        }
    }

    /// <summary>Removes the key's entry from both generations, so that it no longer counts.</summary>
    public void Remove(string key)
    {
        var generations = Volatile.Read(ref _generations);
        generations.Current.Remove(key);
        generations.Previous.Remove(key);
    }

    private void Counted(Generations generations)
    {
        if (Interlocked.Increment(ref generations.Current.Count) >= _generationSize)
        {
            // One thread wins; the others' entries went into the generation that is now the previous one.
            Interlocked.CompareExchange(ref _generations, new Generations(new Generation(_generationSize), generations.Current), generations);
        }
    }

    private sealed class Generation(int size)
    {
        // Sized once, so that filling it never resizes.
        public readonly ConcurrentDictionary<string, TValue> Entries = new(Environment.ProcessorCount, size, StringComparer.Ordinal);

        public int Count;

        public void Remove(string key)
        {
            if (Entries.TryRemove(key, out _))
            {
                Interlocked.Decrement(ref Count);
            }
        }
    }

    private sealed record Generations(Generation Current, Generation Previous);
}
