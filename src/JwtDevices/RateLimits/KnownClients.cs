using System.Collections.Concurrent;

namespace JwtDevices.RateLimits;

/// <summary>
/// The client addresses that signed in as a user within the failed-log-in window, keyed by user name and
/// address: other addresses' failures never refuse them. Bounded: when full, entries past the window go,
/// and if none has, the set starts over (a known client then only meets the per-name ceiling again).
/// </summary>
internal sealed class KnownClients(TimeProvider time, TimeSpan window)
{
    internal const int MaximumEntries = 100_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _signedIn = new(StringComparer.Ordinal);

    public bool Contains(string key) => _signedIn.TryGetValue(key, out var at) && at + window > time.GetUtcNow();

    public void Add(string key)
    {
        var now = time.GetUtcNow();
        if (_signedIn.Count >= MaximumEntries)
        {
            foreach (var entry in _signedIn.Where(entry => entry.Value + window <= now))
            {
                _signedIn.TryRemove(entry);
            }
            if (_signedIn.Count >= MaximumEntries)
            {
                _signedIn.Clear();
            }
        }
        _signedIn[key] = now;
    }
}
