using System.Collections.Concurrent;
using JwtDevices.Devices;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// Points in the store where a test can hold one request while others run, to force an interleaving.
/// A gate holds the first request that reaches it, once.
/// </summary>
public sealed class StoreGates
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new();

    /// <summary>Closes the gate at <paramref name="point"/>; the returned task completes when a request waits there.</summary>
    public Task CloseAsync(string point, out Action release)
    {
        var gate = new Gate();
        _gates[point] = gate;
        release = () => gate.Release.TrySetResult();
        return gate.Reached.Task;
    }

    internal async Task PassAsync(string point)
    {
        if (_gates.TryRemove(point, out var gate))
        {
            gate.Reached.TrySetResult();
            await gate.Release.Task;
        }
    }

    private sealed class Gate
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The server's real store, with <see cref="StoreGates"/> before writes and after reads.</summary>
internal sealed class GatedDeviceStore(IDeviceStore inner, StoreGates gates) : IDeviceStore
{
    public const string AfterFindByPermanentTokenHash = "after:" + nameof(FindByPermanentTokenHashAsync);
    public const string BeforeUpdateLastRequest = "before:" + nameof(UpdateLastRequestAsync);
    public const string BeforeRotatePermanentToken = "before:" + nameof(RotatePermanentTokenAsync);
    public const string BeforeCreate = "before:" + nameof(CreateAsync);
    public const string AfterDeleteByUser = "after:" + nameof(DeleteByUserAsync);

    /// <summary>The server with its store gated.</summary>
    public static WebApplicationFactory<Program> Install(ServerFactory server, StoreGates gates) =>
        server.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            var real = services.Last(d => d.ServiceType == typeof(IDeviceStore));
            var realType = real.ImplementationType!;
            services.Remove(real);
            services.AddScoped(realType);
            services.AddScoped<IDeviceStore>(provider => new GatedDeviceStore((IDeviceStore)provider.GetRequiredService(realType), gates));
        }));

    public async ValueTask CreateAsync(Device device, CancellationToken cancellationToken)
    {
        await gates.PassAsync(BeforeCreate);
        await inner.CreateAsync(device, cancellationToken);
    }

    public ValueTask<Device?> FindByIdAsync(long id, CancellationToken cancellationToken) => inner.FindByIdAsync(id, cancellationToken);

    public async ValueTask<Device?> FindByPermanentTokenHashAsync(byte[] hash, CancellationToken cancellationToken)
    {
        var device = await inner.FindByPermanentTokenHashAsync(hash, cancellationToken);
        await gates.PassAsync(AfterFindByPermanentTokenHash);
        return device;
    }

    public ValueTask<Device?> FindByPreviousPermanentTokenHashAsync(byte[] hash, CancellationToken cancellationToken) =>
        inner.FindByPreviousPermanentTokenHashAsync(hash, cancellationToken);

    public async ValueTask<bool> RotatePermanentTokenAsync(
        long id, byte[] currentHash, byte[] nextHash, long nextGeneration, DateTimeOffset replacedAt, CancellationToken cancellationToken)
    {
        await gates.PassAsync(BeforeRotatePermanentToken);
        return await inner.RotatePermanentTokenAsync(id, currentHash, nextHash, nextGeneration, replacedAt, cancellationToken);
    }

    public ValueTask<IReadOnlyList<Device>> ListByUserAsync(string userId, CancellationToken cancellationToken) =>
        inner.ListByUserAsync(userId, cancellationToken);

    public async ValueTask UpdateLastRequestAsync(long id, DateTimeOffset lastRequest, CancellationToken cancellationToken)
    {
        await gates.PassAsync(BeforeUpdateLastRequest);
        await inner.UpdateLastRequestAsync(id, lastRequest, cancellationToken);
    }

    public ValueTask<bool> BindBrowserKeyAsync(long id, string keyThumbprint, string publicKey, CancellationToken cancellationToken) =>
        inner.BindBrowserKeyAsync(id, keyThumbprint, publicKey, cancellationToken);

    public ValueTask UpdateSecurityStampHashAsync(long id, string userId, byte[]? securityStampHash, CancellationToken cancellationToken) =>
        inner.UpdateSecurityStampHashAsync(id, userId, securityStampHash, cancellationToken);

    public ValueTask<IReadOnlyList<DeviceRevocation>> DeleteOtherDevicesAsync(
        string userId, long keepDeviceId, DateTimeOffset revokedAt, DeviceRevocationReason reason, CancellationToken cancellationToken) =>
        inner.DeleteOtherDevicesAsync(userId, keepDeviceId, revokedAt, reason, cancellationToken);

    public ValueTask<Device?> RenameAsync(long id, string userId, string name, CancellationToken cancellationToken) =>
        inner.RenameAsync(id, userId, name, cancellationToken);

    public ValueTask<DeviceRevocation?> DeleteAsync(
        long id, string? userId, DateTimeOffset revokedAt, DeviceRevocationReason reason, CancellationToken cancellationToken) =>
        inner.DeleteAsync(id, userId, revokedAt, reason, cancellationToken);

    public async ValueTask<IReadOnlyList<DeviceRevocation>> DeleteByUserAsync(
        string userId, DateTimeOffset revokedAt, DeviceRevocationReason reason, CancellationToken cancellationToken)
    {
        var revoked = await inner.DeleteByUserAsync(userId, revokedAt, reason, cancellationToken);
        await gates.PassAsync(AfterDeleteByUser);
        return revoked;
    }

    public ValueTask<ExpiredDeviceBatch> DeleteExpiredAsync(
        DateTimeOffset idleBefore, DateTimeOffset liveAfter, DateTimeOffset revokedAt, int batchSize, CancellationToken cancellationToken) =>
        inner.DeleteExpiredAsync(idleBefore, liveAfter, revokedAt, batchSize, cancellationToken);

    public ValueTask<IReadOnlyList<DeviceRevocation>> DeleteCreatedBeforeAsync(
        DateTimeOffset createdBefore, DateTimeOffset revokedAt, int batchSize, CancellationToken cancellationToken) =>
        inner.DeleteCreatedBeforeAsync(createdBefore, revokedAt, batchSize, cancellationToken);

    public ValueTask<IReadOnlyList<DeviceRevocation>> ListRevocationsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        inner.ListRevocationsSinceAsync(since, cancellationToken);

    public ValueTask<int> TrimRevocationsAsync(DateTimeOffset before, int batchSize, CancellationToken cancellationToken) =>
        inner.TrimRevocationsAsync(before, batchSize, cancellationToken);
}
