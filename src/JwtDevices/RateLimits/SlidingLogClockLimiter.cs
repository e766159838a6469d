using System.Threading.RateLimiting;

namespace JwtDevices.RateLimits;

/// <summary>
/// At most <c>limit</c> permits within any span of <c>window</c>: it keeps the time of each permit still in
/// the window, so it suits small limits (failed log-ins). The time is the application's
/// <see cref="TimeProvider"/>. A granted permit is a reservation: disposing its lease gives it back, and
/// <see cref="Reservation.Keep"/> keeps it for the window. So a guess holds its slot while its password is
/// checked, and concurrent guesses cannot overshoot the limit.
/// </summary>
internal sealed class SlidingLogClockLimiter(TimeProvider time, int limit, TimeSpan window) : RateLimiter
{
    private readonly Lock _lock = new();
    private readonly LinkedList<DateTimeOffset> _permits = new();

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
                return ClockLease.Refused(_permits.First!.Value + window - now);
            }
            if (permitCount == 0)
            {
                return ClockLease.Granted;
            }
            var taken = new List<LinkedListNode<DateTimeOffset>>(permitCount);
            for (var i = 0; i < permitCount; i++)
            {
                taken.Add(_permits.AddLast(now));
            }
            return new Reservation(this, taken);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private DateTimeOffset Forget()
    {
        var now = time.GetUtcNow();
        while (_permits.First is { } oldest && oldest.Value + window <= now)
        {
            _permits.RemoveFirst();
        }
        return now;
    }

    private void Release(List<LinkedListNode<DateTimeOffset>> taken)
    {
        lock (_lock)
        {
            // A permit that left the window already is gone from the list.
            foreach (var node in taken.Where(node => node.List == _permits))
            {
                _permits.Remove(node);
            }
        }
    }

    /// <summary>Granted permits, given back on disposal unless kept.</summary>
    internal sealed class Reservation(SlidingLogClockLimiter limiter, List<LinkedListNode<DateTimeOffset>> taken) : RateLimitLease
    {
        private bool _kept;

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        /// <summary>Keeps the permits until they leave the window.</summary>
        public void Keep() => _kept = true;

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_kept)
            {
                _kept = true;
                limiter.Release(taken);
            }
            base.Dispose(disposing);
        }
    }
}
