using System.Net;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests;

/// <summary>Permanent tokens disabled (DESIGN.md, behaviour 2): plain JWTs signed with the master key.</summary>
public abstract class PlainJwtModeTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private readonly ServerFactory _server = new TServer().WithSettings(("JwtDevices:EnablePermanentTokens", "false"));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Login_ReturnsOnlyToken_AndCreatesNoDevice()
    {
        await _server.AddUserAsync("plain_login");
        var client = _server.CreateClient();

        using var response = await client.PostLoginAsync("plain_login", "password123", deviceModel: "Nokia");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["token"], (await response.ReadJsonAsync()).Keys());
        Assert.Equal(0, await _server.CountDevicesAsync());
    }

    [Fact]
    public async Task Token_Authenticates_AndDeviceListIsEmpty()
    {
        var userId = await _server.AddUserAsync("plain_list");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("plain_list");

        using var devices = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token);
        using var me = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token, scheme: "Bearer");

        Assert.Equal(HttpStatusCode.OK, devices.StatusCode);
        Assert.Empty((await devices.ReadJsonAsync()).EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = await me.ReadJsonAsync();
        Assert.Equal(userId, body.GetProperty("user_id").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("device_id").ValueKind);
    }

    [Fact]
    public async Task PlainToken_IsRefused_OnceDevicesAreEnabled()
    {
        await _server.AddUserAsync("plain_then_devices");
        var plain = await _server.CreateClient().LoginAsync("plain_then_devices");
        using var devicesMode = _server.WithOwnDatabase(("JwtDevices:EnablePermanentTokens", "true"));

        using var response = await devicesMode.CreateClient().SendWithTokenAsync(HttpMethod.Get, "/me", plain.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

public sealed class PlainJwtModeOnSqlite : PlainJwtModeTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class PlainJwtModeOnPostgres : PlainJwtModeTests<PostgresServer>;
