using JwtDevices.Revocation;
using JwtDevices.Events;
using Microsoft.Extensions.Options;

namespace JwtDevices.Devices;

/// <summary>
/// Keeps each user within <see cref="JwtDevicesOptions.MaxDevicesPerUser"/>. The store has no lock per user,
/// so the limit is enforced after the new device is written, on what the log-in then reads: of log-ins that
/// race, the last to read sees every device that stays, so the limit holds afterwards whatever the interleaving.
/// </summary>
internal sealed class DeviceLimit(
    IDeviceStore store,
    IDeviceRevocationService revocations,
    IOptions<JwtDevicesOptions> options,
    DeviceEventRaiser events)
{
    private readonly JwtDevicesOptions _options = options.Value;

    /// <summary>With <see cref="DeviceLimitStrategy.Reject"/>, whether the user may add a device; always true otherwise.</summary>
    public async Task<bool> HasRoomAsync(string userId, CancellationToken cancellationToken)
    {
        if (_options.MaxDevicesPerUser is not { } max || _options.DeviceLimitStrategy != DeviceLimitStrategy.Reject)
        {
            return true;
        }
        var devices = await store.ListByUserAsync(userId, cancellationToken);
        if (devices.Count < max)
        {
            return true;
        }
        await events.DeviceLimitReachedAsync(userId, max, []);
        return false;
    }

    /// <summary>
    /// Makes room after <paramref name="created"/> was written. With <see cref="DeviceLimitStrategy.Reject"/>, a
    /// log-in that raced another past the limit ends its own device and is refused (two racing log-ins may
    /// both be refused; never both admitted). With <see cref="DeviceLimitStrategy.EvictLeastRecentlyUsed"/>, the
    /// devices beyond the limit, least recently used first, are revoked.
    /// </summary>
    /// <returns>Whether the log-in stands.</returns>
    public async Task<bool> AdmitAsync(Device created, CancellationToken cancellationToken)
    {
        if (_options.MaxDevicesPerUser is not { } max)
        {
            return true;
        }
        var devices = await store.ListByUserAsync(created.UserId, cancellationToken);
        if (devices.Count <= max)
        {
            return true;
        }

        if (_options.DeviceLimitStrategy == DeviceLimitStrategy.Reject)
        {
            await events.DeviceLimitReachedAsync(created.UserId, max, []);
            await revocations.RevokeAsync(created.Id, null, DeviceRevocationReason.DeviceLimitEvicted, cancellationToken);
            return false;
        }

        // One order that every racing log-in agrees on (last seen, then id, newest first), so that none evicts
        // a device that another keeps and together they never evict more than needed.
        var evicted = devices
            .OrderByDescending(d => d.LastRequest)
            .ThenByDescending(d => d.Id)
            .Skip(max);
        var ended = new List<long>();
        foreach (var device in evicted)
        {
            if (await revocations.RevokeAsync(device.Id, null, DeviceRevocationReason.DeviceLimitEvicted, cancellationToken))
            {
                ended.Add(device.Id);
            }
        }
        if (ended.Count > 0)
        {
            await events.DeviceLimitReachedAsync(created.UserId, max, ended);
        }
        // A newer racing log-in may push this one's own device out at once, as it would a moment later anyway.
        return true;
    }
}
