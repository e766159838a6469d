using Microsoft.Extensions.Logging;

namespace JwtDevices;

/// <summary>Log messages with stable event ids. None of them carries a token, key or password.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Device {DeviceId} created for user {UserId}.")]
    public static partial void DeviceCreated(ILogger logger, long deviceId, string userId);

    [LoggerMessage(2, LogLevel.Information, "Device {DeviceId} revoked: {Reason}.")]
    public static partial void DeviceRevoked(ILogger logger, long deviceId, Devices.DeviceRevocationReason reason);

    [LoggerMessage(3, LogLevel.Information, "Expired-device cleanup deleted {Devices} devices and {Entries} old revocation log entries.")]
    public static partial void ExpiredDevicesPurged(ILogger logger, int devices, int entries);

    [LoggerMessage(4, LogLevel.Warning, "A revocation was not published to the other nodes ({Error}); they read it from the log at their next poll.")]
    public static partial void RevocationNotPublished(ILogger logger, string error);

    [LoggerMessage(5, LogLevel.Information, "Request refused: it carries a permanent token to {Path}, which does not take one.")]
    public static partial void PermanentTokenNotPermitted(ILogger logger, string path);

    [LoggerMessage(20, LogLevel.Warning, "A retired permanent token of device {DeviceId} (user {UserId}) was presented again (generation {Generation}, current {CurrentGeneration}); the device is revoked.")]
    public static partial void PermanentTokenReused(ILogger logger, long deviceId, string userId, long? generation, long currentGeneration);

    [LoggerMessage(21, LogLevel.Information, "User {UserId} has reached the limit of {MaxDevices} devices; the log-in is refused.")]
    public static partial void DeviceLimitReached(ILogger logger, string userId, int maxDevices);

    [LoggerMessage(22, LogLevel.Information, "Device {DeviceId} of user {UserId} evicted to keep within the limit of {MaxDevices} devices.")]
    public static partial void DeviceEvicted(ILogger logger, long deviceId, string userId, int maxDevices);
}
