using System.Net;
using Microsoft.Extensions.Logging;

namespace JwtDevices.Client;

/// <summary>The client's log lines: ids and codes only, never a token or a password.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Signed in as device {DeviceId} (bound to a DPoP key: {Bound}).")]
    public static partial void SignedIn(ILogger logger, long? deviceId, bool bound);

    [LoggerMessage(2, LogLevel.Debug, "Refreshed the access token of device {DeviceId} (permanent token rotated: {Rotated}).")]
    public static partial void Refreshed(ILogger logger, long? deviceId, bool rotated);

    [LoggerMessage(3, LogLevel.Warning, "The server answered {Status} ({Code}) to the {Call}; retry {Attempt} in {Delay}.")]
    public static partial void Retrying(ILogger logger, HttpStatusCode? status, string? code, string call, int attempt, TimeSpan delay);

    [LoggerMessage(4, LogLevel.Warning, "The server ended device {DeviceId} ({Code}): sign in again.")]
    public static partial void SignInRequired(ILogger logger, long? deviceId, string code);

    [LoggerMessage(5, LogLevel.Information, "Signed out device {DeviceId}.")]
    public static partial void SignedOut(ILogger logger, long? deviceId);

    [LoggerMessage(6, LogLevel.Warning, "Refused to send the access token to {Origin}: only the server's origin and JwtDevicesClientOptions.AllowedOrigins may receive it.")]
    public static partial void OriginRefused(ILogger logger, string origin);
}
