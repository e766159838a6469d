using System.Collections.Concurrent;
using JwtDevices.Devices;

namespace JwtDevices.Benchmarks;

/// <summary>A device store in a dictionary: the benchmarks create devices and never look them up per request.</summary>
internal sealed class InMemoryDeviceStore : IDeviceStore
{
    private readonly ConcurrentDictionary<long, Device> _devices = new();
    private long _lastId;

    public ValueTask CreateAsync(Device device, CancellationToken cancellationToken)
    {
        device.Id = Interlocked.Increment(ref _lastId);
        _devices[device.Id] = device;
        return ValueTask.CompletedTask;
    }

    public ValueTask<Device?> FindByIdAsync(long id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_devices.GetValueOrDefault(id));

    public ValueTask<Device?> FindByPermanentTokenHashAsync(byte[] hash, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_devices.Values.FirstOrDefault(device => device.PermanentTokenHash.AsSpan().SequenceEqual(hash)));

    public ValueTask<IReadOnlyList<Device>> ListByUserAsync(string userId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<Device>>([.. _devices.Values.Where(device => device.UserId == userId).OrderBy(device => device.Id)]);

    public ValueTask<bool> BindBrowserKeyAsync(long id, string keyThumbprint, string publicKey, CancellationToken cancellationToken)
    {
        if (_devices.TryGetValue(id, out var device) && device.DpopKeyThumbprint is null)
        {
            device.DpopKeyThumbprint = keyThumbprint;
            device.DbscPublicKey = publicKey;
            return ValueTask.FromResult(true);
        }
        return ValueTask.FromResult(false);
    }

    public ValueTask UpdateSecurityStampHashAsync(long id, string userId, byte[]? securityStampHash, CancellationToken cancellationToken)
    {
        if (_devices.TryGetValue(id, out var device) && device.UserId == userId)
        {
            device.SecurityStampHash = securityStampHash;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateLastRequestAsync(long id, DateTimeOffset lastRequest, CancellationToken cancellationToken)
    {
        if (_devices.TryGetValue(id, out var device))
        {
            device.LastRequest = lastRequest;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<DeviceRevocation?> DeleteAsync(
        long id, string? userId, DateTimeOffset revokedAt, DeviceRevocationReason reason, CancellationToken cancellationToken)
    {
        var deleted = _devices.TryGetValue(id, out var device) && (userId is null || device.UserId == userId) && _devices.TryRemove(id, out _);
        return ValueTask.FromResult(deleted ? new DeviceRevocation { DeviceId = id, RevokedAt = revokedAt, Reason = reason } : null);
    }

    public ValueTask<IReadOnlyList<DeviceRevocation>> DeleteByUserAsync(
        string userId, DateTimeOffset revokedAt, DeviceRevocationReason reason, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The benchmarks delete no users.");

    public ValueTask<IReadOnlyList<DeviceRevocation>> DeleteOtherDevicesAsync(
        string userId, long keepDeviceId, DateTimeOffset revokedAt, DeviceRevocationReason reason, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The benchmarks sign out no other devices.");

    public ValueTask<Device?> RenameAsync(long id, string userId, string name, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The benchmarks rename no devices.");

    public ValueTask<ExpiredDeviceBatch> DeleteExpiredAsync(
        DateTimeOffset idleBefore, DateTimeOffset liveAfter, DateTimeOffset revokedAt, int batchSize, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ExpiredDeviceBatch(0, []));

    public ValueTask<Device?> FindByPreviousPermanentTokenHashAsync(byte[] hash, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_devices.Values.FirstOrDefault(device => device.PreviousPermanentTokenHash.AsSpan().SequenceEqual(hash)));

    public ValueTask<bool> RotatePermanentTokenAsync(
        long id, byte[] currentHash, byte[] nextHash, long nextGeneration, DateTimeOffset replacedAt, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The benchmarks rotate no permanent tokens.");

    public ValueTask<IReadOnlyList<DeviceRevocation>> DeleteCreatedBeforeAsync(
        DateTimeOffset createdBefore, DateTimeOffset revokedAt, int batchSize, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<DeviceRevocation>>([]);

    public ValueTask<IReadOnlyList<DeviceRevocation>> ListRevocationsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<DeviceRevocation>>([]);

    public ValueTask<int> TrimRevocationsAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken) =>
        ValueTask.FromResult(0);
}
