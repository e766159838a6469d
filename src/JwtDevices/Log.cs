using Microsoft.Extensions.Logging;

namespace JwtDevices;

/// <summary>Log messages with stable event ids. None of them carries a token, key or password.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Device {DeviceId} created for user {UserId}.")]
    public static partial void DeviceCreated(ILogger logger, long deviceId, string userId);

    [LoggerMessage(2, LogLevel.Information, "Device {DeviceId} deleted.")]
    public static partial void DeviceDeleted(ILogger logger, long deviceId);

    [LoggerMessage(3, LogLevel.Information, "Device {DeviceId} expired after inactivity and was deleted.")]
    public static partial void DeviceExpired(ILogger logger, long deviceId);

    [LoggerMessage(5, LogLevel.Information, "Request refused: it carries a permanent token to {Path}, which does not take one.")]
    public static partial void PermanentTokenNotPermitted(ILogger logger, string path);
}
