using System.Globalization;
using JwtDevices.Devices;
using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Server.Data;

/// <summary>
/// Identity's users and JwtDevices' devices in one database, where devices belong to users: deleting a
/// user deletes their devices. One subclass per provider carries that provider's migrations.
/// </summary>
public abstract class ServerDbContext(DbContextOptions options)
    : IdentityDbContext<ServerUser, IdentityRole<long>, long>(options)
{
    /// <summary>
    /// The device's owner as a number. <see cref="Device.UserId"/> is a string in the library and a
    /// foreign key needs the key's type, so this shadow column, set from it on insert, carries the key.
    /// </summary>
    internal const string DeviceOwnerId = "OwnerId";

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        SetDeviceOwners();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        SetDeviceOwners();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseJwtDevices();
        builder.Entity<Device>(device =>
        {
            device.Property<long>(DeviceOwnerId);
            // The store deletes a user's devices itself and logs their revocation; the cascade is the safety net.
            device.HasOne<ServerUser>().WithMany().HasForeignKey(DeviceOwnerId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    private void SetDeviceOwners()
    {
        foreach (var entry in ChangeTracker.Entries<Device>())
        {
            if (entry.State == EntityState.Added)
            {
                entry.Property<long>(DeviceOwnerId).CurrentValue = long.Parse(entry.Entity.UserId, NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }
    }
}
