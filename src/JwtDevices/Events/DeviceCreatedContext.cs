using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>The context of <see cref="JwtDevicesEvents.DeviceCreated"/>: a log-in created a device.</summary>
public sealed class DeviceCreatedContext : JwtDevicesEventContext
{
    internal DeviceCreatedContext(IServiceProvider services, JwtDevicesOptions options, HttpContext? httpContext, long deviceId, string userId, string deviceName)
        : base(services, options, httpContext)
    {
        DeviceId = deviceId;
        UserId = userId;
        DeviceName = deviceName;
    }

    /// <summary>The new device.</summary>
    public long DeviceId { get; }

    /// <summary>Its user.</summary>
    public string UserId { get; }

    /// <summary>Its name, as the device list shows it.</summary>
    public string DeviceName { get; }
}
