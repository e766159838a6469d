namespace JwtDevices.Devices;

/// <summary>
/// Keeps devices and the revocation log. Register one implementation, for example the EF Core store.
/// Every method that deletes devices writes their log entries in the same transaction, so that no node
/// can miss a revocation that happened.
/// </summary>
public interface IDeviceStore
{
    /// <summary>Adds a device; the store sets its <see cref="Device.Id"/>. Ids must never be reused.</summary>
    ValueTask CreateAsync(Device device, CancellationToken cancellationToken);

    /// <summary>Finds a device by id, or returns <see langword="null"/>.</summary>
    ValueTask<Device?> FindByIdAsync(long id, CancellationToken cancellationToken);

    /// <summary>Finds the device whose permanent token has this SHA-256 hash, or returns <see langword="null"/>.</summary>
    ValueTask<Device?> FindByPermanentTokenHashAsync(byte[] hash, CancellationToken cancellationToken);

    /// <summary>
    /// Finds the device whose previous (rotated-out) permanent token has this SHA-256 hash, or returns
    /// <see langword="null"/>.
    /// </summary>
    ValueTask<Device?> FindByPreviousPermanentTokenHashAsync(byte[] hash, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the device's permanent token in one atomic conditional update, only while its current hash is
    /// still <paramref name="currentHash"/>: the current hash becomes the previous one, replaced at
    /// <paramref name="replacedAt"/>, and the last-seen time moves to it too.
    /// </summary>
    /// <returns>Whether the device was updated; <see langword="false"/> when another rotation or a log-out came first.</returns>
    ValueTask<bool> RotatePermanentTokenAsync(
        long id, byte[] currentHash, byte[] nextHash, long nextGeneration, DateTimeOffset replacedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Binds a device that is bound to no key yet to a browser's DBSC key: sets <see cref="Device.DpopKeyThumbprint"/>
    /// and <see cref="Device.DbscPublicKey"/> in one conditional update.
    /// </summary>
    /// <returns>Whether the device was bound; <see langword="false"/> when it is gone or bound already.</returns>
    ValueTask<bool> BindBrowserKeyAsync(long id, string keyThumbprint, string publicKey, CancellationToken cancellationToken);

    /// <summary>Lists a user's devices, ordered by id.</summary>
    ValueTask<IReadOnlyList<Device>> ListByUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Sets a device's last-seen time; does nothing when the device is gone.</summary>
    ValueTask UpdateLastRequestAsync(long id, DateTimeOffset lastRequest, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the security-stamp hash of a device of this user, after the user changed their own
    /// credentials on it; does nothing when the device is gone or not theirs.
    /// </summary>
    ValueTask UpdateSecurityStampHashAsync(long id, string userId, byte[]? securityStampHash, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a device if it exists and, when <paramref name="userId"/> is given, belongs to that user;
    /// logs the revocation with it.
    /// </summary>
    /// <returns>The log entry, or <see langword="null"/> when no device was deleted.</returns>
    ValueTask<DeviceRevocation?> DeleteAsync(
        long id, string? userId, DateTimeOffset revokedAt, DeviceRevocationReason reason, CancellationToken cancellationToken);

    /// <summary>Deletes all of a user's devices and logs their revocations with them.</summary>
    /// <returns>The log entries, one per deleted device.</returns>
    ValueTask<IReadOnlyList<DeviceRevocation>> DeleteByUserAsync(
        string userId, DateTimeOffset revokedAt, DeviceRevocationReason reason, CancellationToken cancellationToken);

    /// <summary>Deletes all of a user's devices but <paramref name="keepDeviceId"/> and logs their revocations with them.</summary>
    /// <returns>The log entries, one per deleted device.</returns>
    ValueTask<IReadOnlyList<DeviceRevocation>> DeleteOtherDevicesAsync(
        string userId, long keepDeviceId, DateTimeOffset revokedAt, DeviceRevocationReason reason, CancellationToken cancellationToken);

    /// <summary>Renames a device if it exists and belongs to <paramref name="userId"/>.</summary>
    /// <returns>The renamed device, or <see langword="null"/> when the user has no such device.</returns>
    ValueTask<Device?> RenameAsync(long id, string userId, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes, in one set-based statement, at most <paramref name="batchSize"/> devices last seen before
    /// <paramref name="idleBefore"/>. Those last seen at or after <paramref name="liveAfter"/> might still
    /// hold a live access token: their revocations are logged as <see cref="DeviceRevocationReason.CleanedUp"/>.
    /// Safe to run on several nodes at once.
    /// </summary>
    ValueTask<ExpiredDeviceBatch> DeleteExpiredAsync(
        DateTimeOffset idleBefore, DateTimeOffset liveAfter, DateTimeOffset revokedAt, int batchSize, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes at most <paramref name="batchSize"/> devices created before <paramref name="createdBefore"/>, whose
    /// <see cref="JwtDevicesOptions.PermanentTokenAbsoluteLifetime"/> has ended, and logs their revocations as
    /// <see cref="DeviceRevocationReason.AbsoluteLifetimeEnded"/> with them.
    /// </summary>
    /// <returns>The log entries, one per deleted device.</returns>
    ValueTask<IReadOnlyList<DeviceRevocation>> DeleteCreatedBeforeAsync(
        DateTimeOffset createdBefore, DateTimeOffset revokedAt, int batchSize, CancellationToken cancellationToken);

    /// <summary>Lists the log entries revoked at or after <paramref name="since"/>.</summary>
    ValueTask<IReadOnlyList<DeviceRevocation>> ListRevocationsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Deletes at most <paramref name="batchSize"/> log entries revoked before <paramref name="before"/>.</summary>
    /// <returns>How many entries were deleted.</returns>
    ValueTask<int> TrimRevocationsAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken);
}
