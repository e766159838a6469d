using System.Net;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Rotation;

/// <summary>The server's page with rotation and the device limit on: its cookie follows the chain, and its log-out finds the device.</summary>
public abstract class PageRotationTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private readonly ServerFactory _server = new TServer().WithSettings(
        ("JwtDevices:RotatePermanentTokens", "true"),
        ("JwtDevices:MaxDevicesPerUser", "1"),
        ("JwtDevices:DeviceLimitStrategy", "Reject"),
        ("JwtDevices:CleanupInterval", "30.00:00:00"));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ThePagesCookie_TakesEachSuccessor_AndItsLogOutEndsTheDevice()
    {
        await _server.AddUserAsync("page_rotor");
        var client = _server.CreateClient();
        using var login = await client.PageLoginAsync("page_rotor");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        // Past the reuse interval each time: a cookie still holding a replaced token would revoke the device.
        for (var i = 0; i < 3; i++)
        {
            _server.Time.Advance(TimeSpan.FromMinutes(1));
            using var request = PageClient.Request("/page/session/refresh/");
            using var refreshed = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        }
        Assert.Equal(1, await _server.CountDevicesAsync());

        using var logout = PageClient.Request("/page/session/logout/");
        using var loggedOut = await client.SendAsync(logout);

        Assert.Equal(HttpStatusCode.NoContent, loggedOut.StatusCode);
        Assert.Equal(0, await _server.CountDevicesAsync());
    }

    [Fact]
    public async Task ThePagesLogIn_BeyondTheLimit_Is400DeviceLimitReached_WithoutACookie()
    {
        await _server.AddUserAsync("page_limited");
        var client = _server.CreateClient();
        await client.LoginAsync("page_limited");

        using var response = await client.PageLoginAsync("page_limited");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("device_limit_reached", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }
}

public sealed class PageRotationOnSqlite : PageRotationTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class PageRotationOnPostgres : PageRotationTests<PostgresServer>;
