using System.Net;
using JwtDevices.Devices;
using JwtDevices.Server;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Tests;

/// <summary>
/// The server's <c>devices purge-expired</c> command: the expired-device cleanup, once, against the
/// configured database. Each test has its own server, since the tests move the clock.
/// </summary>
public abstract class DevicesCommandTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    // The tests move the clock by days and run the cleanup themselves, not the hourly service.
    private readonly ServerFactory _server = new TServer().WithSettings(("JwtDevices:CleanupInterval", "30.00:00:00"));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task PurgeExpired_RemovesTheExpiredDevices_PrintsHowMany_AndTrimsTheRevocationLog()
    {
        await _server.AddUserAsync("purge_user");
        var client = _server.CreateClient();
        var old = await client.LoginAsync("purge_user", deviceModel: "Old phone");
        var older = await client.LoginAsync("purge_user", deviceModel: "Old tablet");
        var loggedOut = await client.LoginAsync("purge_user", deviceModel: "Logged out");
        using (var logout = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{loggedOut.DeviceId}/", loggedOut.Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }
        Assert.Equal(1, await CountRevocationsAsync());
        _server.Time.Advance(TimeSpan.FromDays(8));
        var fresh = await client.LoginAsync("purge_user", deviceModel: "New phone");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AdminCommands.InvokeAsync(["devices", "purge-expired"], _server.Services, output, error);

        Assert.Equal(0, exitCode);
        Assert.Equal("Removed 2 expired devices.", output.ToString().Trim());
        Assert.Equal(string.Empty, error.ToString());
        Assert.Equal([fresh.DeviceId!.Value], await DeviceIdsAsync());
        Assert.Equal(0, await CountRevocationsAsync()); // no token of the logged-out device can be alive
        foreach (var permanent in new[] { old.PermanentToken, older.PermanentToken })
        {
            using var refresh = await client.RefreshAsync(permanent);
            Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        }
    }

    [Fact]
    public async Task PurgeExpired_KeepsDevicesWithinTheirLifetime_AndTheRecentLog()
    {
        await _server.AddUserAsync("purge_nothing");
        var client = _server.CreateClient();
        var kept = await client.LoginAsync("purge_nothing", deviceModel: "Kept");
        var loggedOut = await client.LoginAsync("purge_nothing", deviceModel: "Logged out");
        using (var logout = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{loggedOut.DeviceId}/", loggedOut.Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }
        _server.Time.Advance(TimeSpan.FromDays(6));
        using var output = new StringWriter();

        var exitCode = await AdminCommands.InvokeAsync(["devices", "purge-expired"], _server.Services, output);

        Assert.Equal(0, exitCode);
        Assert.Equal("Removed 0 expired devices.", output.ToString().Trim());
        Assert.Equal([kept.DeviceId!.Value], await DeviceIdsAsync());
    }

    [Fact]
    public async Task PurgeExpired_AsAProcess_TakesTheDatabaseFromItsArguments()
    {
        // The process reads the system clock: age one device in the database instead of moving the fake one.
        await _server.AddUserAsync("purge_process");
        var client = _server.CreateClient();
        var expired = await client.LoginAsync("purge_process", deviceModel: "Expired");
        var kept = await client.LoginAsync("purge_process", deviceModel: "Kept");
        var eightDaysAgo = DateTimeOffset.UtcNow.AddDays(-8);
        await _server.WithDatabaseAsync(db => db.Set<Device>().Where(d => d.Id == expired.DeviceId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastRequest, eightDaysAgo)));

        var result = await ServerProcess.RunAsync(
            "devices", "purge-expired",
            $"--Database:Provider={_server.Provider}",
            $"--ConnectionStrings:Default={_server.ConnectionString}",
            $"--JwtDevices:SigningKey={ServerFactory.SigningKey}");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("Removed 1 expired devices.", result.Output.Trim());
        Assert.Equal([kept.DeviceId!.Value], await DeviceIdsAsync());
    }

    private Task<List<long>> DeviceIdsAsync() =>
        _server.WithDatabaseAsync(db => db.Set<Device>().OrderBy(d => d.Id).Select(d => d.Id).ToListAsync());

    private Task<int> CountRevocationsAsync() => _server.WithDatabaseAsync(db => db.Set<DeviceRevocation>().CountAsync());
}

public sealed class DevicesCommandOnSqlite : DevicesCommandTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class DevicesCommandOnPostgres : DevicesCommandTests<PostgresServer>;
