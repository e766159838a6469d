using System.Globalization;
using JwtDevices.Devices;
using JwtDevices.Revocation;
using JwtDevices.Server.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

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
}
