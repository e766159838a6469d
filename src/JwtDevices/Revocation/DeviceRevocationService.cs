using System.Diagnostics;
using JwtDevices.Devices;
using JwtDevices.Diagnostics;
using JwtDevices.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JwtDevices.Revocation;

/// <inheritdoc />
internal sealed class DeviceRevocationService(
    IDeviceStore store,
    RevokedDevices revoked,
    TimeProvider time,
    IOptions<JwtDevicesOptions> options,
    DeviceEventRaiser events,
    ILogger<DeviceRevocationService> logger,
    IDeviceRevocationBus? bus = null) : IDeviceRevocationService
{
    /// <summary>Rows per cleanup statement: large enough to be quick, small enough not to hold locks for long.</summary>
    internal const int BatchSize = 1000;

    private readonly JwtDevicesOptions _options = options.Value;

    public async Task<bool> RevokeAsync(long deviceId, string? userId, DeviceRevocationReason reason, CancellationToken cancellationToken)
    {
        using var activity = StartActivity(reason, userId);
        activity?.SetTag(JwtDevicesDiagnostics.DeviceIdTag, deviceId);
        var entry = await store.DeleteAsync(deviceId, userId, time.GetUtcNow(), reason, cancellationToken);
        if (entry is null)
        {
            return false;
        }
        await ApplyAsync([entry], cancellationToken);
        return true;
    }

    public async Task<int> RevokeUserAsync(string userId, DeviceRevocationReason reason, CancellationToken cancellationToken)
    {
        using var activity = StartActivity(reason, userId);
        var entries = await store.DeleteByUserAsync(userId, time.GetUtcNow(), reason, cancellationToken);
        await ApplyAsync(entries, cancellationToken);
        return entries.Count;
    }

    public async Task<int> RevokeOtherDevicesAsync(string userId, long keepDeviceId, DeviceRevocationReason reason, CancellationToken cancellationToken)
    {
        using var activity = StartActivity(reason, userId);
        var entries = await store.DeleteOtherDevicesAsync(userId, keepDeviceId, time.GetUtcNow(), reason, cancellationToken);
        await ApplyAsync(entries, cancellationToken);
        return entries.Count;
    }

    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var idleBefore = now - _options.PermanentTokenLifetime;
        // The last-seen time lags a refresh by up to the accuracy window; a device seen after this may hold a live token.
        var liveAfter = now - _options.PermanentTokenExpirationAccuracy - revoked.Retention;
        var deleted = 0;
        ExpiredDeviceBatch batch;
        do
        {
            batch = await store.DeleteExpiredAsync(idleBefore, liveAfter, now, BatchSize, cancellationToken);
            await ApplyAsync(batch.Revoked, cancellationToken);
            deleted += batch.Deleted;
        }
        while (batch.Deleted > 0);

        if (_options.PermanentTokenAbsoluteLifetime is { } absolute)
        {
            IReadOnlyList<DeviceRevocation> ended;
            do
            {
                ended = await store.DeleteCreatedBeforeAsync(now - absolute, now, BatchSize, cancellationToken);
                await ApplyAsync(ended, cancellationToken);
                deleted += ended.Count;
            }
            while (ended.Count == BatchSize);
        }

        var trimmed = 0;
        int trimmedNow;
        do
        {
            trimmedNow = await store.TrimRevocationsAsync(now - revoked.Retention, BatchSize, cancellationToken);
            trimmed += trimmedNow;
        }
        while (trimmedNow == BatchSize);

        Log.ExpiredDevicesPurged(logger, deleted, trimmed);
        return deleted;
    }

    // The log entries are committed: refuse the tokens here at once, then tell the other nodes.
    private async Task ApplyAsync(IReadOnlyList<DeviceRevocation> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }
        revoked.AddRange(entries);
        if (bus is not null)
        {
            try
            {
                // A user's devices can be many: receivers refuse larger messages.
                foreach (var chunk in entries.Chunk(IDeviceRevocationBus.MaxRevocationsPerMessage))
                {
                    await bus.PublishAsync(chunk, cancellationToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Other nodes find the entries in the log at their next poll.
                Log.RevocationNotPublished(logger, exception.GetType().Name);
            }
        }
        // Last: the application's handler runs once every node can already refuse the device.
        foreach (var entry in entries)
        {
            await events.DeviceRevokedAsync(entry);
        }
    }

    private static Activity? StartActivity(DeviceRevocationReason reason, string? userId)
    {
        var activity = JwtDevicesDiagnostics.ActivitySource.StartActivity(JwtDevicesDiagnostics.RevokeActivity);
        activity?.SetTag(JwtDevicesDiagnostics.RevocationReasonTag, JwtDevicesMetrics.ReasonTag(reason));
        if (userId is not null)
        {
            activity?.SetTag(JwtDevicesDiagnostics.UserIdTag, userId);
        }
        return activity;
    }
}
