using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>
/// The context of <see cref="JwtDevicesEvents.ReuseDetected"/>: a permanent token that rotation had
/// replaced was presented again, so one of its holders is not the device's owner. The device is revoked.
/// </summary>
public sealed class ReuseDetectedContext : JwtDevicesEventContext
{
    internal ReuseDetectedContext(IServiceProvider services, JwtDevicesOptions options, HttpContext? httpContext, long deviceId, string userId)
        : base(services, options, httpContext)
    {
        DeviceId = deviceId;
        UserId = userId;
    }

    /// <summary>The device whose old token came back.</summary>
    public long DeviceId { get; }

    /// <summary>Its user.</summary>
    public string UserId { get; }
}
