using System.Threading.RateLimiting;

namespace JwtDevices.RateLimits;

/// <summary>A granted lease, or a refused one that says when to retry.</summary>
internal sealed class ClockLease : RateLimitLease
{
    public static readonly ClockLease Granted = new(true, null);

    private ClockLease(bool isAcquired, TimeSpan? retryAfter)
    {
        IsAcquired = isAcquired;
        RetryAfter = retryAfter;
    }

    public static ClockLease Refused(TimeSpan retryAfter) => new(false, retryAfter);

    public override bool IsAcquired { get; }

    public TimeSpan? RetryAfter { get; }

    public override IEnumerable<string> MetadataNames => RetryAfter is null ? [] : [MetadataName.RetryAfter.Name];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (RetryAfter is { } retryAfter && metadataName == MetadataName.RetryAfter.Name)
        {
            metadata = retryAfter;
            return true;
        }
        metadata = null;
        return false;
    }
}
