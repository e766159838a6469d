using System.Net;
using JwtDevices.Devices;
using JwtDevices.Server.Commands;
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

    [Fact]
    public async Task List_ShowsEveryDevice_WithItsUser_OldestFirst()
    {
        await _server.AddUserAsync("list_alice", email: "alice@example.org");
        await _server.AddUserAsync("list_bob");
        var client = _server.CreateClient();
        var phone = await client.LoginAsync("list_alice", deviceModel: "Pixel 9", userAgent: "okhttp/4.12");
        var laptop = await client.LoginAsync("list_bob", deviceModel: "ThinkPad", userAgent: "Firefox/140");

        var result = await _server.RunCommandAsync("devices", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["ID", "USER", "NAME", "DETAILS", "CREATED", "LAST SEEN", "KEY"], result.Output.Split('\n')[0].Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var today = _server.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Collection(result.Rows,
            row => Assert.Equal([$"{phone.DeviceId}", "list_alice", "Pixel 9", "okhttp/4.12"], row[..4]),
            row => Assert.Equal([$"{laptop.DeviceId}", "list_bob", "ThinkPad", "Firefox/140"], row[..4]));
        Assert.All(result.Rows, row => Assert.StartsWith(today, row[4], StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_SaysWhichDevicesAreBoundToADpopKey()
    {
        await _server.AddUserAsync("list_keyed");
        using var key = new DpopKey();
        var client = _server.CreateClient();
        var bound = await client.DpopLoginAsync(_server, "list_keyed", key);
        var unbound = await client.LoginAsync("list_keyed");

        var result = await _server.RunCommandAsync("devices", "list", "--user", "list_keyed");

        Assert.Equal(0, result.ExitCode);
        Assert.Collection(result.Rows,
            row => Assert.Equal([$"{bound.DeviceId}", "DPoP"], [row[0], row[^1]]),
            row => Assert.Equal([$"{unbound.DeviceId}", "-"], [row[0], row[^1]]));
    }

    [Theory]
    [InlineData("--user", "LIST_ALICE", "Pixel 9,iPad")]
    [InlineData("--search", "ALICE@EXAMPLE", "Pixel 9,iPad")]
    [InlineData("--search", "pad", "iPad,ThinkPad")]
    [InlineData("--search", "firefox", "ThinkPad")]
    [InlineData("--search", "list_b", "ThinkPad")]
    [InlineData("--search", "nothing like it", "")]
    public async Task List_FiltersByUserOrByText_InAnyCase(string option, string value, string expected)
    {
        await _server.AddUserAsync("list_alice", email: "alice@example.org");
        await _server.AddUserAsync("list_bob");
        var client = _server.CreateClient();
        await client.LoginAsync("list_alice", deviceModel: "Pixel 9", userAgent: "okhttp/4.12");
        await client.LoginAsync("list_alice", deviceModel: "iPad", userAgent: "Safari");
        await client.LoginAsync("list_bob", deviceModel: "ThinkPad", userAgent: "Firefox/140");

        var result = await _server.RunCommandAsync("devices", "list", option, value);

        Assert.Equal(0, result.ExitCode);
        if (expected.Length == 0)
        {
            Assert.Equal("No devices.", result.Output.Trim());
        }
        else
        {
            Assert.Equal(expected.Split(','), result.Rows.Select(row => row[2]));
        }
    }

    [Fact]
    public async Task Revoke_EndsTheDevice_ItsTokensAreRefusedAtOnce_TheOthersKeepWorking()
    {
        await _server.AddUserAsync("revoke_user");
        var client = _server.CreateClient();
        var revoked = await client.LoginAsync("revoke_user");
        var kept = await client.LoginAsync("revoke_user");

        var result = await _server.RunCommandAsync("devices", "revoke", $"{revoked.DeviceId}");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Revoked device {revoked.DeviceId}.", result.Output.Trim());
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/devices/", revoked.Token));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/devices/", kept.Token));
        Assert.Equal([kept.DeviceId!.Value], await DeviceIdsAsync());
    }

    [Fact]
    public async Task Revoke_AnUnknownDevice_Exits1_WithOneLine()
    {
        var result = await _server.RunCommandAsync("devices", "revoke", "424242");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: no device has id 424242.", result.Error.Trim());
    }

    [Fact]
    public async Task Revoke_WithoutANumber_Exits1_AndSaysWhy()
    {
        var result = await _server.RunCommandAsync("devices", "revoke", "phone");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("phone", result.Error, StringComparison.Ordinal);
    }

    private Task<List<long>> DeviceIdsAsync() =>
        _server.WithDatabaseAsync(db => db.Set<Device>().OrderBy(d => d.Id).Select(d => d.Id).ToListAsync());

    private Task<int> CountRevocationsAsync() => _server.WithDatabaseAsync(db => db.Set<DeviceRevocation>().CountAsync());
}

public sealed class DevicesCommandOnSqlite : DevicesCommandTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class DevicesCommandOnPostgres : DevicesCommandTests<PostgresServer>;
