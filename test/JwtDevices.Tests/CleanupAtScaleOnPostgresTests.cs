using System.Security.Cryptography;
using JwtDevices.Devices;
using JwtDevices.Revocation;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace JwtDevices.Tests;

/// <summary>
/// The expired-device cleanup on PostgreSQL: set-based batches that delete exactly the expired devices,
/// safe when two nodes run it at the same time.
/// </summary>
[RequiresService(TestServices.Postgres)]
public sealed class CleanupAtScaleOnPostgresTests(ITestOutputHelper output) : IDisposable
{
    private const int Expired = 5_000;
    private const int Fresh = 50;

    // The tests run the cleanup themselves, not the hourly service.
    private readonly ServerFactory _server = new PostgresServer().WithSettings(("JwtDevices:CleanupInterval", "30.00:00:00"));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task PurgeExpired_DeletesExactlyTheExpiredDevices_InSetBasedBatches()
    {
        var fresh = await AddDevicesAsync();
        var commandsBefore = _server.Commands.Count;

        var deleted = await PurgeAsync(_server);

        var commands = _server.Commands.Count - commandsBefore;
        output.WriteLine($"{deleted} devices deleted with {commands} database commands.");
        Assert.Equal(Expired, deleted);
        Assert.Equal(fresh, await DeviceIdsAsync());
        Assert.InRange(commands, Expired / DeviceRevocationService.BatchSize, 50); // batches, never a statement per row
    }

    [Fact]
    public async Task TwoNodesPurgingAtOnce_DeleteEachExpiredDeviceOnce_AndNeitherFails()
    {
        var fresh = await AddDevicesAsync();
        await using var secondNode = _server.OnSameDatabase();
        using var start = new Barrier(2);

        var purges = await Task.WhenAll(
            Task.Run(() => { start.SignalAndWait(); return PurgeAsync(_server); }),
            Task.Run(() => { start.SignalAndWait(); return PurgeAsync(secondNode); }));

        output.WriteLine($"The first node deleted {purges[0]} devices, the second {purges[1]}.");
        Assert.Equal(Expired, purges.Sum());
        Assert.Equal(fresh, await DeviceIdsAsync());
    }

    private static async Task<int> PurgeAsync(ServerFactory node)
    {
        await using var scope = node.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IDeviceRevocationService>().PurgeExpiredAsync(CancellationToken.None);
    }

    /// <summary>Adds the expired devices (idle for 8 days, past the 7-day lifetime) and the fresh ones; returns the fresh ids.</summary>
    private async Task<List<long>> AddDevicesAsync()
    {
        var userId = await _server.AddUserAsync("cleanup_user");
        var now = _server.Time.GetUtcNow();
        await _server.WithDatabaseAsync(db =>
        {
            db.Set<Device>().AddRange(Enumerable.Range(0, Expired + Fresh).Select(i => NewDevice(userId, i < Expired ? now.AddDays(-8) : now)));
            return db.SaveChangesAsync();
        });
        var freshIds = await _server.WithDatabaseAsync(db =>
            db.Set<Device>().Where(d => d.LastRequest == now).OrderBy(d => d.Id).Select(d => d.Id).ToListAsync());
        Assert.Equal(Fresh, freshIds.Count);
        return freshIds;
    }

    private static Device NewDevice(long userId, DateTimeOffset lastRequest) => new()
    {
        UserId = userId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Name = "cleanup",
        Details = string.Empty,
        PermanentTokenHash = RandomNumberGenerator.GetBytes(32),
        KeySalt = RandomNumberGenerator.GetBytes(32),
        Created = lastRequest,
        LastRequest = lastRequest,
    };

    private Task<List<long>> DeviceIdsAsync() =>
        _server.WithDatabaseAsync(db => db.Set<Device>().OrderBy(d => d.Id).Select(d => d.Id).ToListAsync());
}
