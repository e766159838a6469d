namespace JwtDevices;

/// <summary>What a log-in does when its user already has <see cref="JwtDevicesOptions.MaxDevicesPerUser"/> devices.</summary>
public enum DeviceLimitStrategy
{
    /// <summary>The log-in succeeds and the user's least recently used devices are revoked to make room.</summary>
    EvictLeastRecentlyUsed = 0,

    /// <summary>The log-in is refused with 400 and the problem code <c>device_limit_reached</c>.</summary>
    Reject = 1,
}
