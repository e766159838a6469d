using System.Threading.RateLimiting;

namespace JwtDevices.RateLimits;

/// <summary>
/// At most <c>limit</c> permits within any span of <c>window</c>: it keeps the time of each permit still in
/// the window, so it suits small limits (failed log-ins per user name). The time is the application's
/// <see cref="TimeProvider"/>. Asking for no permit only checks whether one is left.
/// </summary>
internal sealed class SlidingLogClockLimiter(TimeProvider time, int limit, TimeSpan window) : RateLimiter
{
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _permits = new();

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                Forget();
                return _permits.Count == 0 ? TimeSpan.MaxValue : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Forget();
            return new RateLimiterStatistics { CurrentAvailablePermits = limit - _permits.Count };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            var now = Forget();
            if (_permits.Count + Math.Max(permitCount, 1) > limit)
            {
                // Room comes when the oldest permit leaves the window.
                return ClockLease.Refused(_permits.Peek() + window - now);
            }
            for (var i = 0; i < permitCount; i++)
            {
                _permits.Enqueue(now);
            }
            return ClockLease.Granted;
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private DateTimeOffset Forget()
    {
        var now = time.GetUtcNow();
        while (_permits.Count > 0 && _permits.Peek() + window <= now)
        {
            _permits.Dequeue();
        }
        return now;
    }
}
