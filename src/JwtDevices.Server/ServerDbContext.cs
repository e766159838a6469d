using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Server;

/// <summary>Identity's users and JwtDevices' devices in one database.</summary>
public sealed class ServerDbContext(DbContextOptions<ServerDbContext> options)
    : IdentityDbContext<ServerUser, IdentityRole<long>, long>(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseJwtDevices();
    }
}
