using System.Security.Cryptography;
using JwtDevices.Revocation;
using JwtDevices.Tokens;
using JwtDevices.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JwtDevices.Devices;

/// <summary>Log-in, refresh with sliding expiry, listing and log-out of devices.</summary>
internal sealed class DeviceService(
    IDeviceStore store,
    IUserCredentialValidator users,
    AccessTokenService tokens,
    IDeviceRevocationService revocations,
    TimeProvider time,
    IOptions<JwtDevicesOptions> options,
    ILogger<DeviceService> logger)
{
    private readonly JwtDevicesOptions _options = options.Value;

    /// <summary>Issues a token for the user; with permanent tokens on, for a new device.</summary>
    public async Task<LoginResult> LoginAsync(JwtDevicesUser user, string name, string details, CancellationToken cancellationToken)
    {
        if (!_options.EnablePermanentTokens)
        {
            return new LoginResult(tokens.CreateToken(user, tokens.MasterCredentials), null, null);
        }

        var permanentToken = PermanentTokens.Create();
        var now = time.GetUtcNow();
        var device = new Device
        {
            UserId = user.Id,
            Name = name,
            Details = details,
            PermanentTokenHash = PermanentTokens.TryHash(permanentToken)!,
            KeySalt = PermanentTokens.CreateSalt(),
            SecurityStampHash = user.SecurityStampHash,
            Created = now,
            LastRequest = now,
        };
        await store.CreateAsync(device, cancellationToken);
        Log.DeviceCreated(logger, device.Id, user.Id);
        return new LoginResult(tokens.CreateToken(user, tokens.CreateCredentials(device)), permanentToken, device.Id);
    }

    /// <summary>
    /// Issues a new token for the device that holds this permanent token, as the seed did: an expired
    /// device is deleted; the last-seen time moves only once per accuracy window.
    /// </summary>
    public async Task<RefreshResult> RefreshAsync(string permanentToken, CancellationToken cancellationToken)
    {
        // Read before the device is found: a log-out that races this refresh is logged later than the new
        // token's issue time, so the revocation outlives the token (see RevokedDevices.Retention).
        var now = time.GetUtcNow();
        var hash = PermanentTokens.TryHash(permanentToken);
        var device = hash is null ? null : await store.FindByPermanentTokenHashAsync(hash, cancellationToken);
        if (device is null || !CryptographicOperations.FixedTimeEquals(device.PermanentTokenHash, hash))
        {
            return RefreshResult.Failed(RefreshFailure.UnknownToken);
        }

        var idle = now - device.LastRequest;
        if (idle > _options.PermanentTokenLifetime)
        {
            await revocations.RevokeAsync(device.Id, null, DeviceRevocationReason.Expired, cancellationToken);
            return RefreshResult.Failed(RefreshFailure.ExpiredToken);
        }

        var user = await users.FindActiveUserAsync(device.UserId, cancellationToken);
        if (user is null)
        {
            return RefreshResult.Failed(RefreshFailure.InactiveUser);
        }
        if (!SecurityStamps.StillValid(device.SecurityStampHash, user.SecurityStampHash))
        {
            // The password changed (or was reset) since this device logged in: whoever holds the token may be
            // the reason it changed.
            await revocations.RevokeAsync(device.Id, device.UserId, DeviceRevocationReason.CredentialsChanged, cancellationToken);
            return RefreshResult.Failed(RefreshFailure.CredentialsChanged);
        }

        if (idle > _options.PermanentTokenExpirationAccuracy)
        {
            await store.UpdateLastRequestAsync(device.Id, now, cancellationToken);
        }
        return RefreshResult.Succeeded(tokens.CreateToken(user, tokens.CreateCredentials(device), now));
    }

    public ValueTask<IReadOnlyList<Device>> ListAsync(string userId, CancellationToken cancellationToken) =>
        store.ListByUserAsync(userId, cancellationToken);

    /// <summary>Ends the device (only the user's own, when a user is named); its tokens stop working at once.</summary>
    public Task<bool> DeleteAsync(long deviceId, string? userId, DeviceRevocationReason reason, CancellationToken cancellationToken) =>
        revocations.RevokeAsync(deviceId, userId, reason, cancellationToken);

    /// <summary>Ends every device of the user, on every node.</summary>
    public Task<int> LogOutAllAsync(string userId, CancellationToken cancellationToken) =>
        revocations.RevokeUserAsync(userId, DeviceRevocationReason.LoggedOut, cancellationToken);

    /// <summary>Ends every device of the user but the one in use, on every node.</summary>
    public Task<int> LogOutOthersAsync(string userId, long currentDeviceId, CancellationToken cancellationToken) =>
        revocations.RevokeOtherDevicesAsync(userId, currentDeviceId, DeviceRevocationReason.Deleted, cancellationToken);

    /// <summary>The user's device with this id, or <see langword="null"/>.</summary>
    public async Task<Device?> FindAsync(long deviceId, string userId, CancellationToken cancellationToken)
    {
        var device = await store.FindByIdAsync(deviceId, cancellationToken);
        return device is not null && device.UserId == userId ? device : null;
    }

    /// <summary>Renames the user's device; <see langword="null"/> when the user has no such device.</summary>
    public async Task<Device?> RenameAsync(long deviceId, string userId, string name, CancellationToken cancellationToken) =>
        await store.RenameAsync(deviceId, userId, name, cancellationToken);
}

/// <summary>The outcome of a log-in; the permanent token and device id are absent in plain JWT mode.</summary>
internal sealed record LoginResult(string Token, string? PermanentToken, long? DeviceId);

internal enum RefreshFailure
{
    None,
    UnknownToken,
    ExpiredToken,
    InactiveUser,
    CredentialsChanged,
}

internal readonly record struct RefreshResult(string? Token, RefreshFailure Failure)
{
    public static RefreshResult Succeeded(string token) => new(token, RefreshFailure.None);

    public static RefreshResult Failed(RefreshFailure failure) => new(null, failure);
}
