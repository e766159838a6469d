using JwtDevices.Devices;
using JwtDevices.Diagnostics;
using Microsoft.Extensions.Logging;

namespace JwtDevices.Revocation;

/// <summary>
/// Takes what the bus receives: applies a batch only when every entry is recent and the set has room, and
/// answers every refusal by asking for a read of the revocation log, where each real revocation is.
/// Refusals are counted one by one and logged at most once per <see cref="WarningInterval"/>, so a flood
/// of bad messages costs neither the log nor the database more than a line and a read now and then.
/// </summary>
internal sealed partial class RevocationReceiver(
    RevokedDevices revoked,
    TimeProvider time,
    JwtDevicesMetrics metrics,
    ILogger logger,
    Action readLogSoon,
    Action reconnected) : IDeviceRevocationReceiver
{
    internal static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private long _nextWarningAt = long.MinValue;
    private int _unlogged;

    public void OnRevoked(IReadOnlyList<DeviceRevocation> revocations)
    {
        ArgumentNullException.ThrowIfNull(revocations);
        if (Check(revocations) is { } refusal)
        {
            OnRefused(refusal);
        }
        else if (!revoked.TryAddFromBus(revocations))
        {
            OnRefused(RevocationMessageRefusal.SetFull);
        }
    }

    public void OnRefused(RevocationMessageRefusal reason)
    {
        metrics.RevocationMessageRefused(reason);
        Warn(reason);
        readLogSoon();
    }

    public void OnReconnected() => reconnected();

    // A node revokes and publishes at once, so only a forged or replayed message, or a clock off by more
    // than the allowance, carries a time outside [now - retention, now + allowance].
    private RevocationMessageRefusal? Check(IReadOnlyList<DeviceRevocation> revocations)
    {
        if (revocations.Count > IDeviceRevocationBus.MaxRevocationsPerMessage)
        {
            return RevocationMessageRefusal.TooLarge;
        }
        var now = time.GetUtcNow();
        var earliest = now - revoked.Retention;
        var latest = now + RevokedDevices.ClockDriftAllowance;
        foreach (var revocation in revocations)
        {
            if (revocation.RevokedAt < earliest || revocation.RevokedAt > latest)
            {
                return RevocationMessageRefusal.OutOfWindow;
            }
        }
        return null;
    }

    private void Warn(RevocationMessageRefusal reason)
    {
        var now = time.GetUtcNow().UtcTicks;
        int refused;
        lock (_gate)
        {
            _unlogged++;
            if (now < _nextWarningAt)
            {
                return;
            }
            (refused, _unlogged) = (_unlogged, 0);
            _nextWarningAt = now + WarningInterval.Ticks;
        }
        LogRefused(logger, refused, JwtDevicesMetrics.RefusalTag(reason));
    }

    [LoggerMessage(24, LogLevel.Warning,
        "Refused {Count} revocation messages from the bus since the last such warning, the last one as {Reason}; reading the revocation log instead.",
        EventName = "RevocationMessageRefused")]
    private static partial void LogRefused(ILogger logger, int count, string reason);
}
