using System.Net;
using JwtDevices.Devices;
using JwtDevices.Revocation;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Revocation;

/// <summary>The expired-device cleanup: what it deletes, what it logs, and when it runs.</summary>
public abstract class ExpiredDeviceCleanupTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private readonly List<ServerFactory> _servers = [];

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }
    }

    [Fact]
    public async Task TheHostedCleanup_DeletesIdleDevices_WhenItsIntervalComes()
    {
        var server = Track(new TServer());
        await server.AddUserAsync("sweep");
        var client = server.CreateClient();
        var idle = await client.LoginAsync("sweep");
        var active = await client.LoginAsync("sweep");

        server.Time.Advance(TimeSpan.FromDays(6));
        using (var refresh = await client.RefreshAsync(active.PermanentToken))
        {
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }
        var beforeExpiry = await server.CountDevicesAsync();
        server.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var afterTheNextInterval = await Eventually.ReachesAsync(server.CountDevicesAsync, 1);

        Assert.Equal(2, beforeExpiry);
        Assert.Equal(1, afterTheNextInterval);
        Assert.False(await server.WithDatabaseAsync(db => db.Set<Device>().AnyAsync(d => d.Id == idle.DeviceId)));
    }

    [Fact]
    public async Task ADeviceThatMayStillHoldALiveToken_IsLoggedAndRefusedAtOnce()
    {
        // A permanent-token lifetime shorter than an access token's: cleanup must revoke, not just delete.
        var server = Server(("JwtDevices:PermanentTokenLifetime", "00:02:00"), ("JwtDevices:PermanentTokenExpirationAccuracy", "00:00:00"));
        await server.AddUserAsync("short_lived");
        var client = server.CreateClient();
        var login = await client.LoginAsync("short_lived");
        server.Time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));

        var deleted = await PurgeAsync(server);

        Assert.Equal(1, deleted);
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
        var entry = await server.WithDatabaseAsync(db => db.Set<DeviceRevocation>().SingleAsync());
        Assert.Equal((login.DeviceId, DeviceRevocationReason.CleanedUp), (entry.DeviceId, entry.Reason));
    }

    [Fact]
    public async Task Cleanup_LogsNothing_ForDevicesWhoseTokensAreLongDead_AndTrimsOldLogEntries()
    {
        var server = Server();
        await server.AddUserAsync("trimmed");
        var client = server.CreateClient();
        var loggedOut = await client.LoginAsync("trimmed");
        using (var logout = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{loggedOut.DeviceId}/", loggedOut.Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }
        await client.LoginAsync("trimmed");
        server.Time.Advance(TimeSpan.FromDays(8));

        var deleted = await PurgeAsync(server);

        Assert.Equal(1, deleted);
        Assert.Equal(0, await server.CountDevicesAsync());
        Assert.Equal(0, await server.WithDatabaseAsync(db => db.Set<DeviceRevocation>().CountAsync()));
    }

    [Fact]
    public async Task Cleanup_DeletesInBatches_AndLeavesActiveDevices()
    {
        var server = Server();
        var userId = (await server.AddUserAsync("many")).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var now = server.Time.GetUtcNow();
        var expired = DeviceRevocationService.BatchSize * 2 + 17;
        await server.WithDatabaseAsync(async db =>
        {
            db.Set<Device>().AddRange(Enumerable.Range(0, expired + 5).Select(i => new Device
            {
                UserId = userId,
                Name = "bulk",
                Details = string.Empty,
                PermanentTokenHash = System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)),
                KeySalt = new byte[32],
                Created = now - TimeSpan.FromDays(30),
                LastRequest = i < expired ? now - TimeSpan.FromDays(8) : now,
            }));
            return await db.SaveChangesAsync();
        });

        var deleted = await PurgeAsync(server);

        Assert.Equal(expired, deleted);
        Assert.Equal(5, await server.CountDevicesAsync());
    }

    // Tests that purge by hand keep the hosted cleanup out of the way.
    private ServerFactory Server(params (string Key, string? Value)[] settings) =>
        Track(new TServer().WithSettings([("JwtDevices:CleanupInterval", "30.00:00:00"), .. settings]));

    private ServerFactory Track(ServerFactory server)
    {
        _servers.Add(server);
        return server;
    }

    private static async Task<int> PurgeAsync(ServerFactory server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IDeviceRevocationService>().PurgeExpiredAsync(CancellationToken.None);
    }

}

public sealed class ExpiredDeviceCleanupOnSqlite : ExpiredDeviceCleanupTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class ExpiredDeviceCleanupOnPostgres : ExpiredDeviceCleanupTests<PostgresServer>;
