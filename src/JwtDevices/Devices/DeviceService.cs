using System.Security.Cryptography;
using JwtDevices.Diagnostics;
using JwtDevices.Events;
using JwtDevices.Revocation;
using JwtDevices.Tokens;
using JwtDevices.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JwtDevices.Devices;

/// <summary>Log-in, refresh with sliding expiry (and, when on, rotation), listing and log-out of devices.</summary>
internal sealed class DeviceService(
    IDeviceStore store,
    IUserCredentialValidator users,
    AccessTokenService tokens,
    RotatingPermanentTokens rotating,
    DeviceLimit limit,
    IDeviceRevocationService revocations,
    TimeProvider time,
    IOptions<JwtDevicesOptions> options,
    DeviceEventRaiser events,
    JwtDevicesMetrics metrics,
    IServiceScopeFactory scopes)
{
    // A rotation that loses a race re-reads the device and tries again; two tries settle any interleaving
    // of refreshes of one token, since the winner's successor is the one every loser derives.
    private const int RotationAttempts = 3;

    private readonly JwtDevicesOptions _options = options.Value;

    /// <summary>
    /// Issues a token for the user; with permanent tokens on, for a new device, bound to the DPoP key of
    /// <paramref name="keyThumbprint"/> when one is given.
    /// </summary>
    public async Task<LoginResult> LoginAsync(JwtDevicesUser user, string name, string details, string? keyThumbprint, CancellationToken cancellationToken)
    {
        if (!_options.EnablePermanentTokens)
        {
            return new LoginResult(tokens.CreateToken(user, tokens.MasterCredentials), null, null);
        }
        if (!await limit.HasRoomAsync(user.Id, cancellationToken))
        {
            return LoginResult.LimitReached;
        }

        var salt = PermanentTokens.CreateSalt();
        // With rotation on, the first token already has the rotating form, so that its reuse is caught too.
        var secret = _options.RotatePermanentTokens ? rotating.CreateBody(salt) : PermanentTokens.Create();
        var now = time.GetUtcNow();
        var device = new Device
        {
            UserId = user.Id,
            Name = name,
            Details = details,
            PermanentTokenHash = _options.RotatePermanentTokens ? RotatingPermanentTokens.Hash(secret) : PermanentTokens.TryHash(secret)!,
            KeySalt = salt,
            SecurityStampHash = user.SecurityStampHash,
            DpopKeyThumbprint = keyThumbprint,
            Created = now,
            LastRequest = now,
        };
        await store.CreateAsync(device, cancellationToken);
        await events.DeviceCreatedAsync(device);
        if (!await StillMayLogInAsync(user, cancellationToken))
        {
            await revocations.RevokeAsync(device.Id, null, DeviceRevocationReason.UserInactive, cancellationToken);
            return LoginResult.Inactive;
        }
        if (!await limit.AdmitAsync(device, cancellationToken))
        {
            return LoginResult.LimitReached;
        }

        var permanentToken = _options.RotatePermanentTokens ? new RotatedPermanentToken(device.Id, 0, secret).ToString() : secret;
        return new LoginResult(tokens.CreateToken(user, tokens.CreateCredentials(device)), permanentToken, device.Id) { Bound = keyThumbprint is not null };
    }

    /// <summary>
    /// Issues a new token for the device that holds this permanent token, as the seed did: an expired
    /// device is deleted; the last-seen time moves only once per accuracy window. With rotation on, it also
    /// hands out the successor of the permanent token, and a retired token presented again revokes the device.
    /// A device bound to a DPoP key needs <paramref name="keyThumbprint"/> to be that key's, the thumbprint of a
    /// proof the caller checked; without it the request changes nothing, so a copied permanent token alone is worthless.
    /// </summary>
    public async Task<RefreshResult> RefreshAsync(string permanentToken, string? keyThumbprint, CancellationToken cancellationToken)
    {
        // Read before the device is found: a log-out that races this refresh is logged later than the new
        // token's issue time, so the revocation outlives the token (see RevokedDevices.Retention).
        var now = time.GetUtcNow();
        var presented = PresentedPermanentToken.TryRead(permanentToken);
        if (presented is null)
        {
            return RefreshResult.Failed(RefreshFailure.UnknownToken);
        }
        var device = await FindAsync(presented, cancellationToken);

        for (var attempt = 0; device is not null && attempt < RotationAttempts; attempt++)
        {
            var standing = StandingOf(device, presented, now);
            if (standing == TokenStanding.Unknown)
            {
                break;
            }
            // Before anything else: whoever lacks the key must not even trip the reuse detection and end the device.
            if (device.DpopKeyThumbprint is { } bound && !string.Equals(bound, keyThumbprint, StringComparison.Ordinal))
            {
                return RefreshResult.Failed(RefreshFailure.DpopProofRequired) with { DeviceId = device.Id };
            }
            if (standing == TokenStanding.Reused)
            {
                await events.ReuseDetectedAsync(device.Id, device.UserId);
                await revocations.RevokeAsync(device.Id, null, DeviceRevocationReason.ReuseDetected, cancellationToken);
                return RefreshResult.Failed(RefreshFailure.ReusedToken);
            }

            var (user, failure) = await StillGoodAsync(device, now, cancellationToken);
            if (user is null)
            {
                return RefreshResult.Failed(failure);
            }
            // The access token is signed only once the refresh is sure to succeed: a lost rotation race signs nothing.
            if (standing == TokenStanding.Previous)
            {
                // A retry within the interval: the successor it derives is the one already stored, never a second.
                var successor = rotating.FindStoredSuccessor(device.KeySalt, presented.Secret, device.PermanentTokenGeneration, device.PermanentTokenHash);
                if (successor is null)
                {
                    return RefreshResult.Failed(RefreshFailure.UnknownToken);
                }
                // Counted apart: many of them are a copy of the token sharing the chain with its owner, not lost answers.
                metrics.PreviousTokenRedeemed();
                await events.TokenRefreshedAsync(device.Id, device.UserId);
                return RefreshResult.Succeeded(IssueToken(user, device, now), new RotatedPermanentToken(device.Id, device.PermanentTokenGeneration, successor).ToString(), device);
            }
            if (!_options.RotatePermanentTokens)
            {
                if (now - device.LastRequest > _options.PermanentTokenExpirationAccuracy)
                {
                    await store.UpdateLastRequestAsync(device.Id, now, cancellationToken);
                }
                await events.TokenRefreshedAsync(device.Id, device.UserId);
                return RefreshResult.Succeeded(IssueToken(user, device, now), null, device);
            }

            var generation = device.PermanentTokenGeneration + 1;
            var next = rotating.DeriveBody(device.KeySalt, presented.Secret, generation);
            if (await store.RotatePermanentTokenAsync(
                device.Id, device.PermanentTokenHash, RotatingPermanentTokens.Hash(next), generation, now, cancellationToken))
            {
                await events.TokenRefreshedAsync(device.Id, device.UserId);
                return RefreshResult.Succeeded(IssueToken(user, device, now), new RotatedPermanentToken(device.Id, generation, next).ToString(), device);
            }
            // Another refresh (or a log-out) came first: see where this token stands now.
            device = await store.FindByIdAsync(device.Id, cancellationToken);
        }
        return RefreshResult.Failed(RefreshFailure.UnknownToken);
    }

    /// <summary>
    /// Issues a new token for a device bound to a browser's DBSC key, whose short-lived session cookie the caller
    /// checked: no permanent token takes part. The device must still be bound by DBSC; it ends as <see cref="RefreshAsync"/> ends one (idle or absolute expiry, inactive user, changed credentials).
    /// </summary>
    public async Task<RefreshResult> RefreshBrowserBoundAsync(long deviceId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var device = await store.FindByIdAsync(deviceId, cancellationToken);
        if (device?.DbscPublicKey is null)
        {
            return RefreshResult.Failed(RefreshFailure.UnknownToken);
        }
        var (user, failure) = await StillGoodAsync(device, now, cancellationToken);
        if (user is null)
        {
            return RefreshResult.Failed(failure);
        }
        if (now - device.LastRequest > _options.PermanentTokenExpirationAccuracy)
        {
            await store.UpdateLastRequestAsync(device.Id, now, cancellationToken);
        }
        await events.TokenRefreshedAsync(device.Id, device.UserId);
        return RefreshResult.Succeeded(tokens.CreateToken(user, tokens.CreateCredentials(device), now), null, device);
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

    // A lock-out, deletion or password change that ran between the password check and the insert found no device
    // to revoke. Each of them changes the user before it revokes, so the user read after the insert tells. It is
    // read in a scope of its own: the request's may answer from the copy it read at the password check.
    private async ValueTask<bool> StillMayLogInAsync(JwtDevicesUser user, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var fresh = scope.ServiceProvider.GetRequiredService<IUserCredentialValidator>();
        return await fresh.FindActiveUserAsync(user.Id, cancellationToken) is { } current
            && SecurityStamps.StillValid(user.SecurityStampHash, current.SecurityStampHash);
    }

    private async ValueTask<Device?> FindAsync(PresentedPermanentToken presented, CancellationToken cancellationToken)
    {
        // A rotating token names its device, so that a retired one is recognised whatever its generation.
        if (presented.Rotated is { } rotated)
        {
            return await store.FindByIdAsync(rotated.DeviceId, cancellationToken);
        }
        var device = await store.FindByPermanentTokenHashAsync(presented.Hash, cancellationToken);
        // A seed-form token that the first rotation of a device made before rotation was on has just replaced.
        if (device is null && _options.RotatePermanentTokens)
        {
            device = await store.FindByPreviousPermanentTokenHashAsync(presented.Hash, cancellationToken);
        }
        return device;
    }

    private string IssueToken(JwtDevicesUser user, Device device, DateTimeOffset now) =>
        tokens.CreateToken(user, tokens.CreateCredentials(device), now);

    private TokenStanding StandingOf(Device device, PresentedPermanentToken presented, DateTimeOffset now)
    {
        if (CryptographicOperations.FixedTimeEquals(device.PermanentTokenHash, presented.Hash))
        {
            return TokenStanding.Current;
        }
        if (!_options.RotatePermanentTokens)
        {
            return TokenStanding.Unknown;
        }
        if (device.PreviousPermanentTokenHash is { } previous && CryptographicOperations.FixedTimeEquals(previous, presented.Hash))
        {
            return now - device.PermanentTokenReplaced <= _options.RotationReuseInterval ? TokenStanding.Previous : TokenStanding.Reused;
        }
        // Only a token the server made for this device counts as reuse; any other text naming the device is unknown.
        return presented.Rotated is { } rotated
            && rotated.Generation < device.PermanentTokenGeneration
            && rotating.IsGenuine(device.KeySalt, rotated)
                ? TokenStanding.Reused
                : TokenStanding.Unknown;
    }

    // The device's user, when the device has not expired, its user may still sign in and its credentials are unchanged;
    // otherwise why not (an expired device, or one whose credentials changed, is ended here).
    private async ValueTask<(JwtDevicesUser? User, RefreshFailure Failure)> StillGoodAsync(Device device, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await EndIfExpiredAsync(device, now, cancellationToken) is { } ended)
        {
            return (null, ended);
        }
        var user = await users.FindActiveUserAsync(device.UserId, cancellationToken);
        if (user is null)
        {
            return (null, RefreshFailure.InactiveUser);
        }
        if (!SecurityStamps.StillValid(device.SecurityStampHash, user.SecurityStampHash))
        {
            // The password changed (or was reset) since this device logged in: whoever holds the token may be
            // the reason it changed.
            await revocations.RevokeAsync(device.Id, device.UserId, DeviceRevocationReason.CredentialsChanged, cancellationToken);
            return (null, RefreshFailure.CredentialsChanged);
        }
        return (user, RefreshFailure.None);
    }

    private async ValueTask<RefreshFailure?> EndIfExpiredAsync(Device device, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now - device.LastRequest > _options.PermanentTokenLifetime)
        {
            await revocations.RevokeAsync(device.Id, null, DeviceRevocationReason.Expired, cancellationToken);
            return RefreshFailure.ExpiredToken;
        }
        if (now - device.Created > _options.PermanentTokenAbsoluteLifetime)
        {
            await revocations.RevokeAsync(device.Id, null, DeviceRevocationReason.AbsoluteLifetimeEnded, cancellationToken);
            return RefreshFailure.ExpiredToken;
        }
        return null;
    }
}

/// <summary>The outcome of a log-in; the permanent token and device id are absent in plain JWT mode.</summary>
internal sealed record LoginResult(string? Token, string? PermanentToken, long? DeviceId, bool UserInactive = false)
{
    /// <summary>Whether the device is bound to a DPoP key: the answer says <c>"token_type": "DPoP"</c>.</summary>
    public bool Bound { get; init; }

    /// <summary>Refused: the user has <see cref="JwtDevicesOptions.MaxDevicesPerUser"/> devices and the strategy is to reject.</summary>
    public static readonly LoginResult LimitReached = new(null, null, null);

    /// <summary>Refused: the user was locked out, deleted or given new credentials while the log-in was in flight.</summary>
    public static readonly LoginResult Inactive = new(null, null, null, UserInactive: true);
}

internal enum RefreshFailure
{
    None,
    UnknownToken,
    ExpiredToken,
    InactiveUser,
    ReusedToken,
    CredentialsChanged,
    DpopProofRequired,
}

/// <summary>
/// The outcome of a refresh; <paramref name="PermanentToken"/> is the successor when rotation is on, <paramref name="Bound"/>
/// whether the device is bound to a DPoP key.
/// </summary>
internal readonly record struct RefreshResult(string? Token, string? PermanentToken, RefreshFailure Failure, bool Bound = false, long? DeviceId = null)
{
    public static RefreshResult Succeeded(string token, string? permanentToken, Device device) =>
        new(token, permanentToken, RefreshFailure.None, device.DpopKeyThumbprint is not null && device.DbscPublicKey is null, device.Id);

    public static RefreshResult Failed(RefreshFailure failure) => new(null, null, failure);
}
