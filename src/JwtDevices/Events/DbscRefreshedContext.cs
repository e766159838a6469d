using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>
/// The context of <see cref="JwtDevicesEvents.DbscRefreshed"/>: a browser bound by DBSC proved its key and got a new
/// short-lived session cookie for the server's pages.
/// </summary>
public sealed class DbscRefreshedContext : JwtDevicesEventContext
{
    internal DbscRefreshedContext(IServiceProvider services, JwtDevicesOptions options, HttpContext? httpContext, long deviceId, string userId)
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
