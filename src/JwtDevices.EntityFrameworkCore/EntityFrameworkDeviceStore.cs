using JwtDevices.Devices;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.EntityFrameworkCore;

/// <summary>Keeps devices in the application's DbContext, whose model calls <c>UseJwtDevices()</c>.</summary>
internal sealed class EntityFrameworkDeviceStore<TContext>(TContext context) : IDeviceStore
    where TContext : DbContext
{
    private DbSet<Device> Devices => context.Set<Device>();

    public async ValueTask CreateAsync(Device device, CancellationToken cancellationToken)
    {
        Devices.Add(device);
        await context.SaveChangesAsync(cancellationToken);
        context.Entry(device).State = EntityState.Detached;
    }

    public async ValueTask<Device?> FindByIdAsync(long id, CancellationToken cancellationToken) =>
        await Devices.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);

    public async ValueTask<Device?> FindByPermanentTokenHashAsync(byte[] hash, CancellationToken cancellationToken) =>
        await Devices.AsNoTracking().FirstOrDefaultAsync(d => d.PermanentTokenHash == hash, cancellationToken);

    public async ValueTask<IReadOnlyList<Device>> ListByUserAsync(string userId, CancellationToken cancellationToken) =>
        await Devices.AsNoTracking().Where(d => d.UserId == userId).OrderBy(d => d.Id).ToListAsync(cancellationToken);

    public async ValueTask UpdateLastRequestAsync(long id, DateTimeOffset lastRequest, CancellationToken cancellationToken) =>
        await Devices.Where(d => d.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastRequest, lastRequest), cancellationToken);

    public async ValueTask<bool> DeleteAsync(long id, string? userId, CancellationToken cancellationToken)
    {
        var query = Devices.Where(d => d.Id == id);
        if (userId is not null)
        {
            query = query.Where(d => d.UserId == userId);
        }
        return await query.ExecuteDeleteAsync(cancellationToken) > 0;
    }
}
