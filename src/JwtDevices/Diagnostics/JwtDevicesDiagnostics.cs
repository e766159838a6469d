using System.Diagnostics;

namespace JwtDevices;

/// <summary>
/// The names under which JwtDevices reports metrics and traces, for OpenTelemetry's <c>AddMeter</c> and
/// <c>AddSource</c>. No tag, log or activity carries a password, token or key.
/// </summary>
public static class JwtDevicesDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/>: <c>JwtDevices</c>.</summary>
    public const string MeterName = "JwtDevices";

    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/>: <c>JwtDevices</c>.</summary>
    public const string ActivitySourceName = "JwtDevices";

    internal const string LoginActivity = "JwtDevices.Login";
    internal const string RefreshActivity = "JwtDevices.Refresh";
    internal const string RevokeActivity = "JwtDevices.Revoke";

    internal const string UserIdTag = "jwtdevices.user_id";
    internal const string DeviceIdTag = "jwtdevices.device_id";
    internal const string ResultTag = "jwtdevices.result";
    internal const string RevocationReasonTag = "jwtdevices.revocation.reason";
    internal const string FailureReasonTag = "jwtdevices.failure.reason";
    internal const string DpopUseTag = "jwtdevices.dpop.use";

    internal static readonly ActivitySource ActivitySource =
        new(ActivitySourceName, typeof(JwtDevicesDiagnostics).Assembly.GetName().Version?.ToString());
}
