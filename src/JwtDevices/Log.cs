using JwtDevices.Devices;
using Microsoft.Extensions.Logging;

namespace JwtDevices;

/// <summary>
/// Log messages with stable event ids and names (listed in docs/events-and-diagnostics.md). None of them carries a token,
/// key or password, nor a query string.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Device {DeviceId} created for user {UserId}.", EventName = "DeviceCreated")]
    public static partial void DeviceCreated(ILogger logger, long deviceId, string userId);

    [LoggerMessage(2, LogLevel.Information, "Device {DeviceId} revoked: {Reason}.", EventName = "DeviceRevoked")]
    public static partial void DeviceRevoked(ILogger logger, long deviceId, DeviceRevocationReason reason);

    [LoggerMessage(3, LogLevel.Information, "Expired-device cleanup deleted {Devices} devices and {Entries} old revocation log entries.",
        EventName = "ExpiredDevicesPurged")]
    public static partial void ExpiredDevicesPurged(ILogger logger, int devices, int entries);

    [LoggerMessage(4, LogLevel.Warning, "A revocation was not published to the other nodes ({Error}); they read it from the log at their next poll.",
        EventName = "RevocationNotPublished")]
    public static partial void RevocationNotPublished(ILogger logger, string error);

    [LoggerMessage(5, LogLevel.Information, "Request refused: it carries a permanent token to {Path}, which does not take one.",
        EventName = "PermanentTokenNotPermitted")]
    public static partial void PermanentTokenNotPermitted(ILogger logger, string path);

    [LoggerMessage(6, LogLevel.Debug, "Device {DeviceId} of user {UserId} refreshed its access token.", EventName = "TokenRefreshed")]
    public static partial void TokenRefreshed(ILogger logger, long deviceId, string userId);

    [LoggerMessage(7, LogLevel.Warning,
        "A replaced permanent token of device {DeviceId} (user {UserId}) was presented again: the device is revoked as stolen.",
        EventName = "ReuseDetected")]
    public static partial void ReuseDetected(ILogger logger, long deviceId, string userId);

    [LoggerMessage(8, LogLevel.Information, "User {UserId} reached the limit of {Limit} devices: log-in {Outcome} ({Evicted} devices evicted).",
        EventName = "DeviceLimitReached")]
    public static partial void DeviceLimitReached(ILogger logger, string userId, int limit, string outcome, int evicted);

    // The reason is a sentence of its own (TokenFailures), with its full stop.
    [LoggerMessage(10, LogLevel.Information, "Access token refused for {Path}: {Reason}", EventName = "AccessTokenRefused")]
    public static partial void AccessTokenRefused(ILogger logger, string path, string reason);

    [LoggerMessage(11, LogLevel.Debug, "Answered 401 to {Path}: no access token.", EventName = "ChallengedWithoutToken")]
    public static partial void ChallengedWithoutToken(ILogger logger, string path);

    // The reason is a fixed sentence of DpopFailures, with its full stop; nothing of the proof is logged.
    [LoggerMessage(12, LogLevel.Information, "DPoP proof refused at {Use} of {Path}: {Reason}", EventName = "DpopProofRefused")]
    public static partial void DpopProofRefused(ILogger logger, string use, string path, string reason);
}
