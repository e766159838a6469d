using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>
/// The context of <see cref="JwtDevicesEvents.DeviceLimitReached"/>: a log-in met the user's device limit.
/// Either older devices were evicted to make room (<see cref="EvictedDeviceIds"/>), or the log-in was refused.
/// </summary>
public sealed class DeviceLimitReachedContext : JwtDevicesEventContext
{
    internal DeviceLimitReachedContext(
        IServiceProvider services, JwtDevicesOptions options, HttpContext? httpContext, string userId, int limit, IReadOnlyList<long> evictedDeviceIds)
        : base(services, options, httpContext)
    {
        UserId = userId;
        Limit = limit;
        EvictedDeviceIds = evictedDeviceIds;
    }

    /// <summary>The user who logged in.</summary>
    public string UserId { get; }

    /// <summary>The user's device limit.</summary>
    public int Limit { get; }

    /// <summary>The devices ended to make room, least recently used first; empty when the log-in was refused.</summary>
    public IReadOnlyList<long> EvictedDeviceIds { get; }

    /// <summary>Whether the log-in was refused rather than making room.</summary>
    public bool Refused => EvictedDeviceIds.Count == 0;
}
