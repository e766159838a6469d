using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>The context of <see cref="JwtDevicesEvents.TokenRefreshed"/>: a device exchanged its permanent token for a new access token.</summary>
public sealed class TokenRefreshedContext : JwtDevicesEventContext
{
    internal TokenRefreshedContext(IServiceProvider services, JwtDevicesOptions options, HttpContext? httpContext, long deviceId, string userId)
        : base(services, options, httpContext)
    {
        DeviceId = deviceId;
        UserId = userId;
    }

    /// <summary>The device.</summary>
    public long DeviceId { get; }

    /// <summary>Its user.</summary>
    public string UserId { get; }
}
