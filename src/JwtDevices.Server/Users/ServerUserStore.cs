using System.Globalization;
using JwtDevices.Devices;
using JwtDevices.Revocation;
using JwtDevices.Server.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Server.Users;

/// <summary>
/// Identity's store of users in <see cref="ServerDbContext"/>. Deleting a user first ends their devices
/// through JwtDevices, so that the revocations are logged and every node refuses their tokens at once;
/// the foreign key's cascade would delete the devices, but silently.
/// </summary>
internal sealed class ServerUserStore(ServerDbContext context, IDeviceRevocationService revocations, IdentityErrorDescriber? describer = null)
    : UserStore<ServerUser, IdentityRole<long>, ServerDbContext, long>(context, describer)
{
    public override async Task<IdentityResult> DeleteAsync(ServerUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        // Locked out first, so that a log-in in flight, which reads the user again after writing its device, ends
        // that device itself: one written after the revocation below would otherwise go with the cascade, unlogged.
        user.LockoutEnabled = true;
        user.LockoutEnd = DateTimeOffset.MaxValue;
        if (await base.UpdateAsync(user, cancellationToken) is { Succeeded: false } notLocked)
        {
            return notLocked;
        }
        await revocations.RevokeUserAsync(user.Id.ToString(CultureInfo.InvariantCulture), DeviceRevocationReason.UserDeleted, cancellationToken);
        return await base.DeleteAsync(user, cancellationToken);
    }

    /// <summary>
    /// Replaces the user's password hash with <paramref name="hash"/>, a stronger one of the same password, if the
    /// stored hash is still the one <paramref name="user"/> was read with: of two log-ins that upgrade at once, the
    /// first wins and the second changes nothing, and either hash holds the password. The security stamp and the
    /// concurrency stamp stay, since nothing about the user changed.
    /// </summary>
    public async Task UpgradePasswordHashAsync(ServerUser user, string hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var stored = user.PasswordHash;
        await Context.Users
            .Where(row => row.Id == user.Id && row.PasswordHash == stored)
            .ExecuteUpdateAsync(setters => setters.SetProperty(row => row.PasswordHash, hash), cancellationToken);
        // The tracked user learns the new hash as already saved, so no later save writes it again.
        user.PasswordHash = hash;
        var entry = Context.Entry(user);
        if (entry.State != EntityState.Detached)
        {
            entry.Property(row => row.PasswordHash).OriginalValue = hash;
            entry.Property(row => row.PasswordHash).IsModified = false;
        }
    }
}
