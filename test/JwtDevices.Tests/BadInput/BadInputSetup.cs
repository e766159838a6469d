using JwtDevices.Server.Users;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.BadInput;

/// <summary>Arranging helpers for tests whose theory cases share one server.</summary>
internal static class BadInputSetup
{
    /// <summary>Adds the user unless an earlier case of the same theory already did; returns its id.</summary>
    public static async Task<long> EnsureUserAsync(this ServerFactory server, string name)
    {
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var existing = await scope.ServiceProvider.GetRequiredService<UserManager<ServerUser>>().FindByNameAsync(name);
            if (existing is not null)
            {
                return existing.Id;
            }
        }
        return await server.AddUserAsync(name);
    }

    public static Task<bool> DeviceExistsAsync(this ServerFactory server, long deviceId) =>
        server.WithDatabaseAsync(db => db.Set<Devices.Device>().AnyAsync(d => d.Id == deviceId));
}
