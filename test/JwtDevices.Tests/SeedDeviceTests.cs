using System.Net;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests;

/// <summary>The seed's device log-out and device list behaviours (DESIGN.md, behaviours 3 and 5), over HTTP.</summary>
public abstract class SeedDeviceTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Fact]
    public async Task Logout_WithoutDeviceId_Is400AndDeletesNothing()
    {
        await server.AddUserAsync("logout_no_header");
        var client = server.CreateClient();
        var login = await client.LoginAsync("logout_no_header");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", login.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.True(body.GetProperty("errors").TryGetProperty("Device-Id", out _));
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task Logout_OtherUsersDevice_Is404AndDeletesNothing()
    {
        await server.AddUserAsync("logout_owner");
        await server.AddUserAsync("logout_intruder");
        var client = server.CreateClient();
        var owner = await client.LoginAsync("logout_owner");
        var intruder = await client.LoginAsync("logout_intruder");

        using var response = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", intruder.Token,
            headers: ("Device-Id", owner.DeviceId!.Value.ToString()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("device_not_found", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        using var ownerStillWorks = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", owner.Token);
        Assert.Equal(HttpStatusCode.OK, ownerStillWorks.StatusCode);
    }

    [Fact]
    public async Task Logout_OwnDevice_Is204AndDeletesIt()
    {
        await server.AddUserAsync("logout_self");
        var client = server.CreateClient();
        var login = await client.LoginAsync("logout_self");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", login.Token,
            headers: ("Device-Id", login.DeviceId!.Value.ToString()));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(devicesBefore - 1, await server.CountDevicesAsync());
        using var refresh = await client.RefreshAsync(login.PermanentToken);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
    }

    [Fact]
    public async Task Logout_OneDevice_LeavesTheUsersOtherDevicesWorking()
    {
        await server.AddUserAsync("logout_two_phones");
        var client = server.CreateClient();
        var phone = await client.LoginAsync("logout_two_phones", deviceModel: "Phone");
        var tablet = await client.LoginAsync("logout_two_phones", deviceModel: "Tablet");

        using var logout = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", tablet.Token,
            headers: ("Device-Id", phone.DeviceId!.Value.ToString()));

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var phoneAfter = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", phone.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, phoneAfter.StatusCode);
        using var tabletAfter = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", tablet.Token);
        Assert.Equal(HttpStatusCode.OK, tabletAfter.StatusCode);
    }

    [Fact]
    public async Task Logout_WithoutJwt_Is401AndDeletesNothing()
    {
        await server.AddUserAsync("logout_anonymous");
        var client = server.CreateClient();
        var login = await client.LoginAsync("logout_anonymous");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", token: null,
            headers: ("Device-Id", login.DeviceId!.Value.ToString()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task DeleteDevice_WithoutJwt_Is401()
    {
        await server.AddUserAsync("delete_anonymous");
        var client = server.CreateClient();
        var login = await client.LoginAsync("delete_anonymous");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await client.DeleteAsync($"/devices/{login.DeviceId}/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task DeleteDevice_OtherUsers_Is404AndDeletesNothing()
    {
        await server.AddUserAsync("delete_owner");
        await server.AddUserAsync("delete_intruder");
        var client = server.CreateClient();
        var owner = await client.LoginAsync("delete_owner");
        var intruder = await client.LoginAsync("delete_intruder");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{owner.DeviceId}/", intruder.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task DeleteDevice_Own_Is204AndItsTokenIsRefusedAtOnce()
    {
        await server.AddUserAsync("delete_self");
        var client = server.CreateClient();
        var login = await client.LoginAsync("delete_self");
        using var warm = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token);
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);

        using var response = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{login.DeviceId}", login.Token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var after = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Devices_ListsOnlyTheCallersDevices_ById_WithExactFields()
    {
        await server.AddUserAsync("list_me");
        await server.AddUserAsync("list_other");
        var client = server.CreateClient();
        var first = await client.LoginAsync("list_me", deviceModel: "Nokia", userAgent: "agent");
        await client.LoginAsync("list_other", deviceModel: "Other");
        var second = await client.LoginAsync("list_me", deviceModel: null, userAgent: "browser");

        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", second.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var devices = (await response.ReadJsonAsync()).EnumerateArray().ToArray();
        Assert.Equal([first.DeviceId!.Value, second.DeviceId!.Value], devices.Select(d => d.GetProperty("id").GetInt64()));
        Assert.All(devices, d => Assert.Equal(["created", "details", "id", "last_request_datetime", "name"], d.Keys()));
        Assert.Equal("Nokia", devices[0].GetProperty("name").GetString());
        Assert.Equal("agent", devices[0].GetProperty("details").GetString());
        Assert.Equal("browser", devices[1].GetProperty("name").GetString());
        Assert.Equal("", devices[1].GetProperty("details").GetString());
    }

    [Fact]
    public async Task Devices_WriteTimesAsUtcIso8601()
    {
        await server.AddUserAsync("list_times");
        var client = server.CreateClient();
        var login = await client.LoginAsync("list_times");

        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token);

        var device = Assert.Single((await response.ReadJsonAsync()).EnumerateArray());
        var created = device.GetProperty("created").GetString()!;
        Assert.EndsWith("Z", created);
        var parsed = DateTimeOffset.Parse(created, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True((parsed - server.Time.GetUtcNow()).Duration() < TimeSpan.FromMilliseconds(1));
        Assert.Equal(created, device.GetProperty("last_request_datetime").GetString());
    }

    [Fact]
    public async Task Devices_WithoutJwt_Is401()
    {
        using var response = await server.CreateClient().GetAsync("/devices/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

public sealed class SeedDeviceOnSqlite(SqliteServer server) : SeedDeviceTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class SeedDeviceOnPostgres(PostgresServer server) : SeedDeviceTests<PostgresServer>(server);
