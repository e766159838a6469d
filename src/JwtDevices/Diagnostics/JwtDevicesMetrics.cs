using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using JwtDevices.Devices;
using JwtDevices.Revocation;

namespace JwtDevices.Diagnostics;

/// <summary>
/// The instruments of the <c>JwtDevices</c> meter. Tags hold fixed words only (results and reasons),
/// never an id, a name or a token, so their number stays small. With no listener, a measurement costs a
/// check and nothing else.
/// </summary>
internal sealed class JwtDevicesMetrics
{
    internal const string Success = "success";
    internal const string InvalidCredentials = "invalid_credentials";
    internal const string UnknownToken = "unknown_token";
    internal const string ExpiredToken = "expired_token";
    internal const string InactiveUser = "inactive_user";
    internal const string ReusedToken = "reused_token";
    internal const string CredentialsChanged = "credentials_changed";
    internal const string Evicted = "evicted";
    internal const string Refused = "refused";
    internal const string InvalidDpopProof = "invalid_dpop_proof";

    private static readonly ConcurrentDictionary<DeviceRevocationReason, string> s_reasons = new();
    private static readonly ConcurrentDictionary<RevocationMessageRefusal, string> s_refusals = new();

    private readonly Counter<long> _logins;
    private readonly Counter<long> _refreshes;
    private readonly Histogram<double> _refreshDuration;
    private readonly Counter<long> _revocations;
    private readonly Counter<long> _reuseDetections;
    private readonly Counter<long> _previousTokenRedemptions;
    private readonly Counter<long> _deviceLimits;
    private readonly Counter<long> _authenticationFailures;
    private readonly Counter<long> _refusedRevocationMessages;
    private readonly Counter<long> _refusedDpopProofs;
    private readonly Counter<long> _dpopReplayStoreUnavailable;
    private readonly Counter<long> _dbscRegistrations;
    private readonly Counter<long> _dbscRefreshes;
    private readonly Counter<long> _refusedDbscProofs;

    public JwtDevicesMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(JwtDevicesDiagnostics.MeterName);
        _logins = meter.CreateCounter<long>("jwtdevices.logins", "{login}",
            "Log-ins, by result (jwtdevices.result: success, invalid_credentials).");
        _refreshes = meter.CreateCounter<long>("jwtdevices.refreshes", "{refresh}",
            "Permanent-token refreshes, by result (jwtdevices.result: success, unknown_token, expired_token, inactive_user).");
        _refreshDuration = meter.CreateHistogram("jwtdevices.refresh.duration", "s",
            "How long a refresh took, by result.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _revocations = meter.CreateCounter<long>("jwtdevices.revocations", "{device}",
            "Devices ended on this node, by reason (jwtdevices.revocation.reason).");
        _reuseDetections = meter.CreateCounter<long>("jwtdevices.reuse_detections", "{detection}",
            "Rotated permanent tokens presented again; each revokes its device.");
        _previousTokenRedemptions = meter.CreateCounter<long>("jwtdevices.previous_token_redemptions", "{refresh}",
            "Refreshes with the token a rotation just replaced, within the reuse interval: a lost answer retried, or a copy racing its owner.");
        _deviceLimits = meter.CreateCounter<long>("jwtdevices.device_limit_reached", "{login}",
            "Log-ins that met the user's device limit, by result (jwtdevices.result: evicted, refused).");
        _authenticationFailures = meter.CreateCounter<long>("jwtdevices.authentication.failures", "{request}",
            "Refused access tokens, by reason (jwtdevices.failure.reason: malformed, invalid, expired, device_gone, no_device, event).");
        _refusedRevocationMessages = meter.CreateCounter<long>("jwtdevices.revocation_messages.refused", "{message}",
            "Messages of the revocation bus refused, by reason (jwtdevices.failure.reason: malformed, unauthenticated, too_large, out_of_window, set_full).");
        _refusedDpopProofs = meter.CreateCounter<long>("jwtdevices.dpop.proofs.refused", "{request}",
            "Requests refused for their DPoP proof, by reason (jwtdevices.failure.reason) and use (jwtdevices.dpop.use: login, refresh, request).");
        _dpopReplayStoreUnavailable = meter.CreateCounter<long>("jwtdevices.dpop.replay_store.unavailable", "{proof}",
            "DPoP proofs that could not be checked against the shared replay store (Redis) because it was down.");
        _dbscRegistrations = meter.CreateCounter<long>("jwtdevices.dbsc.registrations", "{session}",
            "Browser sessions of the pages bound to a key by Device Bound Session Credentials.");
        _dbscRefreshes = meter.CreateCounter<long>("jwtdevices.dbsc.refreshes", "{refresh}",
            "Bound session cookies renewed after a proof by the browser's key.");
        _refusedDbscProofs = meter.CreateCounter<long>("jwtdevices.dbsc.proofs.refused", "{request}",
            "DBSC registration and refresh proofs refused, by reason (jwtdevices.failure.reason).");
    }

    public void LoggedIn(string result) => _logins.Add(1, new KeyValuePair<string, object?>(JwtDevicesDiagnostics.ResultTag, result));

    public void Refreshed(string result, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>(JwtDevicesDiagnostics.ResultTag, result);
        _refreshes.Add(1, tag);
        _refreshDuration.Record(duration.TotalSeconds, tag);
    }

    public void Revoked(DeviceRevocationReason reason) =>
        _revocations.Add(1, new KeyValuePair<string, object?>(JwtDevicesDiagnostics.RevocationReasonTag, ReasonTag(reason)));

    public void ReuseDetected() => _reuseDetections.Add(1);

    public void PreviousTokenRedeemed() => _previousTokenRedemptions.Add(1);

    public void DeviceLimitReached(bool refused) =>
        _deviceLimits.Add(1, new KeyValuePair<string, object?>(JwtDevicesDiagnostics.ResultTag, refused ? Refused : Evicted));

    public void AuthenticationFailed(string reason) =>
        _authenticationFailures.Add(1, new KeyValuePair<string, object?>(JwtDevicesDiagnostics.FailureReasonTag, reason));

    public void RevocationMessageRefused(RevocationMessageRefusal reason) =>
        _refusedRevocationMessages.Add(1, new KeyValuePair<string, object?>(JwtDevicesDiagnostics.FailureReasonTag, RefusalTag(reason)));

    public void DpopProofRefused(string reason, string use) =>
        _refusedDpopProofs.Add(1, new KeyValuePair<string, object?>(JwtDevicesDiagnostics.FailureReasonTag, reason),
            new KeyValuePair<string, object?>(JwtDevicesDiagnostics.DpopUseTag, use));

    public void DpopReplayStoreUnavailable() => _dpopReplayStoreUnavailable.Add(1);

    public void DbscRegistered() => _dbscRegistrations.Add(1);

    public void DbscRefreshed() => _dbscRefreshes.Add(1);

    public void DbscProofRefused(string reason) =>
        _refusedDbscProofs.Add(1, new KeyValuePair<string, object?>(JwtDevicesDiagnostics.FailureReasonTag, reason));

    /// <summary>The reason in snake case (<c>LoggedOut</c> → <c>logged_out</c>), made once per reason.</summary>
    internal static string ReasonTag(DeviceRevocationReason reason) => s_reasons.GetOrAdd(reason, static value => SnakeCase(value.ToString()));

    /// <summary>The refusal in snake case (<c>OutOfWindow</c> → <c>out_of_window</c>), made once per refusal.</summary>
    internal static string RefusalTag(RevocationMessageRefusal refusal) => s_refusals.GetOrAdd(refusal, static value => SnakeCase(value.ToString()));

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        foreach (var character in name)
        {
            if (char.IsUpper(character) && text.Length > 0)
            {
                text.Append('_');
            }
            text.Append(char.ToLowerInvariant(character));
        }
        return text.ToString();
    }
}
