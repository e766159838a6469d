using System.Globalization;
using JwtDevices.Devices;
using JwtDevices.Revocation;
using JwtDevices.Users;
using Microsoft.AspNetCore.Identity;

namespace JwtDevices.Server.Users;

/// <summary>
/// Changes a user's password and ends the devices that the old password let in, through the revocation
/// service, so that their JWTs die at once on every node. The user's own change keeps the device it was
/// made on; an administrator's reset ends them all. Every way the server changes a password goes through here.
/// </summary>
internal sealed class UserCredentialChanges(UserManager<ServerUser> users, IDeviceStore devices, IDeviceRevocationService revocations)
{
    /// <summary>The user's own change: checks the current password, then ends every device but <paramref name="currentDeviceId"/>.</summary>
    /// <returns>Identity's result: <c>PasswordMismatch</c> for a wrong current password, the validators' errors for a rejected new one.</returns>
    public async Task<IdentityResult> ChangePasswordAsync(
        ServerUser user, string currentPassword, string newPassword, long? currentDeviceId, CancellationToken cancellationToken)
    {
        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (result.Succeeded)
        {
            await EndOtherDevicesAsync(user, currentDeviceId, cancellationToken);
        }
        return result;
    }

    /// <summary>An administrator's reset: sets the password without the old one, then ends every device.</summary>
    /// <returns>
    /// Identity's result (the validators' errors for a rejected password, which leaves the old one in place), and
    /// how many devices ended.
    /// </returns>
    public async Task<(IdentityResult Outcome, int DevicesEnded)> ResetPasswordAsync(ServerUser user, string newPassword, CancellationToken cancellationToken)
    {
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var validation = await validator.ValidateAsync(users, user, newPassword);
            errors.AddRange(validation.Errors);
        }
        if (errors.Count > 0)
        {
            return (IdentityResult.Failed([.. errors]), 0);
        }

        // One update writes the new hash and the new stamp together.
        user.PasswordHash = users.PasswordHasher.HashPassword(user, newPassword);
        var result = await users.UpdateSecurityStampAsync(user);
        return (result, result.Succeeded ? await EndOtherDevicesAsync(user, null, cancellationToken) : 0);
    }

    // The stamp has moved, so refresh refuses every device that logged in before, including one created by a
    // log-in that raced this change; revoking them now also ends their JWTs at once.
    private async Task<int> EndOtherDevicesAsync(ServerUser user, long? keptDeviceId, CancellationToken cancellationToken)
    {
        var userId = user.Id.ToString(CultureInfo.InvariantCulture);
        if (keptDeviceId is not { } kept)
        {
            return await revocations.RevokeUserAsync(userId, DeviceRevocationReason.CredentialsChanged, cancellationToken);
        }

        // The device the change was made on learns the new stamp, so its next refresh still works.
        var stamp = SecurityStamps.Hash(await users.GetSecurityStampAsync(user));
        await devices.UpdateSecurityStampHashAsync(kept, userId, stamp, cancellationToken);
        return await revocations.RevokeOtherDevicesAsync(userId, kept, DeviceRevocationReason.CredentialsChanged, cancellationToken);
    }
}
