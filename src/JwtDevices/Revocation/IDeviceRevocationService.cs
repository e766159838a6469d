using JwtDevices.Devices;

namespace JwtDevices.Revocation;

/// <summary>
/// Ends devices: deletes them, logs their revocation, refuses their access tokens on this node at once
/// and tells the other nodes. Use it (not the store) to end devices from application code, for example
/// when a user is deleted.
/// </summary>
public interface IDeviceRevocationService
{
    /// <summary>Ends one device, only when it belongs to <paramref name="userId"/> if one is given.</summary>
    /// <returns>Whether a device was ended.</returns>
    Task<bool> RevokeAsync(long deviceId, string? userId, DeviceRevocationReason reason, CancellationToken cancellationToken);

    /// <summary>Ends every device of a user.</summary>
    /// <returns>How many devices were ended.</returns>
    Task<int> RevokeUserAsync(string userId, DeviceRevocationReason reason, CancellationToken cancellationToken);

    /// <summary>Ends every device of a user but <paramref name="keepDeviceId"/>.</summary>
    /// <returns>How many devices were ended.</returns>
    Task<int> RevokeOtherDevicesAsync(string userId, long keepDeviceId, DeviceRevocationReason reason, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes every device idle for longer than <see cref="JwtDevicesOptions.PermanentTokenLifetime"/>, in
    /// batches, and trims the revocation log of entries no token can need any more.
    /// </summary>
    /// <returns>How many devices were deleted.</returns>
    Task<int> PurgeExpiredAsync(CancellationToken cancellationToken);
}
