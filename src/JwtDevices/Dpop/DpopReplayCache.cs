using System.Collections.Concurrent;

namespace JwtDevices.Dpop;

/// <summary>
/// The node's own memory of recent proofs: 128 bits of each proof's hash and when it may be forgotten, at most
/// <see cref="JwtDevicesDpopOptions.ReplayCacheSize"/> of them. Expired entries are swept when it fills, at most
/// once a second; full of live entries, it refuses new proofs rather than forget one that could be replayed.
/// </summary>
internal sealed class DpopReplayCache(int capacity)
{
    private readonly ConcurrentDictionary<Int128, long> _entries = new();
    // ConcurrentDictionary.Count takes every lock; this one is kept by hand.
    private int _count;
    private long _nextSweep;

    internal int Count => Volatile.Read(ref _count);

    /// <summary>Adds the proof, remembered until <paramref name="expires"/> (UTC ticks).</summary>
    public DpopReplayOutcome TryAdd(Int128 key, long expires, long now)
    {
        if (Volatile.Read(ref _count) >= capacity && !Sweep(now))
        {
            return DpopReplayOutcome.Full;
        }
        if (_entries.TryAdd(key, expires))
        {
            Interlocked.Increment(ref _count);
            return DpopReplayOutcome.Added;
        }
        // Seen, but so long ago that it may go: a proof that old fails its iat check anyway.
        return _entries.TryGetValue(key, out var old) && old <= now && _entries.TryUpdate(key, expires, old)
            ? DpopReplayOutcome.Added
            : DpopReplayOutcome.Replayed;
    }

    // Drops the expired entries; whether there is room now.
    private bool Sweep(long now)
    {
        var next = Volatile.Read(ref _nextSweep);
        if (now >= next && Interlocked.CompareExchange(ref _nextSweep, now + TimeSpan.TicksPerSecond, next) == next)
        {
            foreach (var entry in _entries)
            {
                if (entry.Value <= now && _entries.TryRemove(entry))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }
        return Volatile.Read(ref _count) < capacity;
    }
}

internal enum DpopReplayOutcome
{
    Added,
    Replayed,
    Full,
}
