using System.Threading.RateLimiting;

namespace JwtDevices.RateLimits;

/// <summary>
/// At most <c>limit</c> permits per window, the window starting at the first permit; the time is the
/// application's <see cref="TimeProvider"/> (the framework's limiters read the system's stopwatch). Two
/// numbers per partition, so a limit per client address stays small however many addresses come.
/// </summary>
internal sealed class FixedWindowClockLimiter(TimeProvider time, int limit, TimeSpan window) : RateLimiter
{
    private readonly Lock _lock = new();
    private DateTimeOffset _windowEnd = DateTimeOffset.MinValue;
    private int _used;

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                // Forgettable only once its window is over.
                var now = time.GetUtcNow();
                return now >= _windowEnd ? now - _windowEnd : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics { CurrentAvailablePermits = time.GetUtcNow() >= _windowEnd ? limit : limit - _used };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now >= _windowEnd)
            {
                _windowEnd = now + window;
                _used = 0;
            }
            if (_used + permitCount > limit)
            {
                return ClockLease.Refused(_windowEnd - now);
            }
            _used += permitCount;
            return ClockLease.Granted;
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));
}
