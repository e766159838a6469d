using System.Data;
using JwtDevices.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace JwtDevices.EntityFrameworkCore;

/// <summary>
/// Keeps devices and the revocation log in the application's DbContext, whose model calls
/// <c>UseJwtDevices()</c>. Deleting devices and logging their revocation share one transaction, and so does the
/// notification of the revocation on PostgreSQL.
/// </summary>
internal sealed class EntityFrameworkDeviceStore<TContext>(TContext context, PostgresRevocationNotifications notifications) : IDeviceStore
    where TContext : DbContext
{
    private DbSet<Device> Devices => context.Set<Device>();

    private DbSet<DeviceRevocation> Revocations => context.Set<DeviceRevocation>();

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

    public async ValueTask<Device?> FindByPreviousPermanentTokenHashAsync(byte[] hash, CancellationToken cancellationToken) =>
        await Devices.AsNoTracking().FirstOrDefaultAsync(d => d.PreviousPermanentTokenHash == hash, cancellationToken);

    // One conditional UPDATE: of concurrent rotations of one token, exactly one matches the current hash.
    public async ValueTask<bool> RotatePermanentTokenAsync(
        long id, byte[] currentHash, byte[] nextHash, long nextGeneration, DateTimeOffset replacedAt, CancellationToken cancellationToken) =>
        await Devices.Where(d => d.Id == id && d.PermanentTokenHash == currentHash)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.PermanentTokenHash, nextHash)
                .SetProperty(d => d.PreviousPermanentTokenHash, currentHash)
                .SetProperty(d => d.PermanentTokenReplaced, replacedAt)
                .SetProperty(d => d.PermanentTokenGeneration, nextGeneration)
                .SetProperty(d => d.LastRequest, replacedAt), cancellationToken) == 1;

    public async ValueTask<IReadOnlyList<Device>> ListByUserAsync(string userId, CancellationToken cancellationToken) =>
        await Devices.AsNoTracking().Where(d => d.UserId == userId).OrderBy(d => d.Id).ToListAsync(cancellationToken);

    public async ValueTask UpdateLastRequestAsync(long id, DateTimeOffset lastRequest, CancellationToken cancellationToken) =>
        await Devices.Where(d => d.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastRequest, lastRequest), cancellationToken);

    public async ValueTask<bool> BindBrowserKeyAsync(long id, string keyThumbprint, string publicKey, CancellationToken cancellationToken) =>
        await Devices.Where(d => d.Id == id && d.DpopKeyThumbprint == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.DpopKeyThumbprint, keyThumbprint).SetProperty(d => d.DbscPublicKey, publicKey), cancellationToken) == 1;

    public async ValueTask UpdateSecurityStampHashAsync(long id, string userId, byte[]? securityStampHash, CancellationToken cancellationToken) =>
        await Devices.Where(d => d.Id == id && d.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.SecurityStampHash, securityStampHash), cancellationToken);

    public async ValueTask<DeviceRevocation?> DeleteAsync(
        long id, string? userId, DateTimeOffset revokedAt, DeviceRevocationReason reason, CancellationToken cancellationToken)
    {
        var entries = await DeleteAndLogAsync(
            query => userId is null ? query.Where(d => d.Id == id) : query.Where(d => d.Id == id && d.UserId == userId),
            revokedAt, reason, cancellationToken);
        return entries.Count == 0 ? null : entries[0];
    }

    public async ValueTask<IReadOnlyList<DeviceRevocation>> DeleteByUserAsync(
        string userId, DateTimeOffset revokedAt, DeviceRevocationReason reason, CancellationToken cancellationToken) =>
        await DeleteAndLogAsync(query => query.Where(d => d.UserId == userId), revokedAt, reason, cancellationToken);

    public async ValueTask<IReadOnlyList<DeviceRevocation>> DeleteOtherDevicesAsync(
        string userId, long keepDeviceId, DateTimeOffset revokedAt, DeviceRevocationReason reason, CancellationToken cancellationToken) =>
        await DeleteAndLogAsync(query => query.Where(d => d.UserId == userId && d.Id != keepDeviceId), revokedAt, reason, cancellationToken);

    public async ValueTask<Device?> RenameAsync(long id, string userId, string name, CancellationToken cancellationToken)
    {
        var renamed = await Devices.Where(d => d.Id == id && d.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Name, name), cancellationToken);
        return renamed == 0 ? null : await FindByIdAsync(id, cancellationToken);
    }

    public async ValueTask<ExpiredDeviceBatch> DeleteExpiredAsync(
        DateTimeOffset idleBefore, DateTimeOffset liveAfter, DateTimeOffset revokedAt, int batchSize, CancellationToken cancellationToken)
    {
        // Rare (a lifetime shorter than an access token's): devices that may hold a live token are logged.
        var mayHoldLiveTokens = await DeleteAndLogAsync(
            query => query.Where(d => d.LastRequest < idleBefore && d.LastRequest >= liveAfter).OrderBy(d => d.Id).Take(batchSize),
            revokedAt, DeviceRevocationReason.CleanedUp, cancellationToken);
        if (mayHoldLiveTokens.Count > 0)
        {
            return new ExpiredDeviceBatch(mayHoldLiveTokens.Count, mayHoldLiveTokens);
        }

        // The rest cannot: one statement deletes a batch, loading nothing.
        var deleted = await Devices
            .Where(d => d.LastRequest < idleBefore && d.LastRequest < liveAfter)
            .OrderBy(d => d.LastRequest)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
        return new ExpiredDeviceBatch(deleted, []);
    }

    // Logged, since such a device may be in use: its last access tokens die with it.
    public async ValueTask<IReadOnlyList<DeviceRevocation>> DeleteCreatedBeforeAsync(
        DateTimeOffset createdBefore, DateTimeOffset revokedAt, int batchSize, CancellationToken cancellationToken) =>
        await DeleteAndLogAsync(
            query => query.Where(d => d.Created < createdBefore).OrderBy(d => d.Id).Take(batchSize),
            revokedAt, DeviceRevocationReason.AbsoluteLifetimeEnded, cancellationToken);

    public async ValueTask<IReadOnlyList<DeviceRevocation>> ListRevocationsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        await Revocations.AsNoTracking().Where(r => r.RevokedAt >= since).ToListAsync(cancellationToken);

    public async ValueTask<int> TrimRevocationsAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken) =>
        await Revocations.Where(r => r.RevokedAt < before).OrderBy(r => r.Id).Take(batchSize).ExecuteDeleteAsync(cancellationToken);

    // Deletes exactly the devices it logs, in one transaction: a device created meanwhile is neither.
    private async Task<IReadOnlyList<DeviceRevocation>> DeleteAndLogAsync(
        Func<IQueryable<Device>, IQueryable<Device>> select,
        DateTimeOffset revokedAt,
        DeviceRevocationReason reason,
        CancellationToken cancellationToken)
    {
        var strategy = context.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
            List<DeviceRevocation> entries;
            try
            {
                var ids = await select(Devices).Select(d => d.Id).ToListAsync(cancellationToken);
                if (ids.Count == 0)
                {
                    return (IReadOnlyList<DeviceRevocation>)[];
                }
                var deleted = await Devices.Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
                if (deleted == 0)
                {
                    return [];
                }
                entries = ids.Select(id => new DeviceRevocation { DeviceId = id, RevokedAt = revokedAt, Reason = reason }).ToList();
                Revocations.AddRange(entries);
                await context.SaveChangesAsync(cancellationToken);
                await notifications.NotifyAsync(context.Database, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (InvalidOperationException exception) when (HasLostItsConnection(transaction))
            {
                throw new DatabaseConnectionLostException(exception);
            }
            foreach (var entry in entries)
            {
                context.Entry(entry).State = EntityState.Detached;
            }
            return entries;
        });
    }

    // Only a broken connection ends the transaction behind our back: the driver ends it when it sees the connection die
    // (PostgreSQL killed between two statements), and the next statement then fails with "Transaction is already
    // completed", naming no database error.
    private static bool HasLostItsConnection(IDbContextTransaction transaction)
    {
        try
        {
            return transaction.GetDbTransaction().Connection is not { State: ConnectionState.Open };
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}
