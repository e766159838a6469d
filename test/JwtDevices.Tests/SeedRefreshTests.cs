using System.Net;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Tests;

/// <summary>
/// The seed's refresh behaviours with sliding expiry (DESIGN.md, behaviour 4), over HTTP. Each test has
/// its own server, since the tests move the clock.
/// </summary>
public abstract class SeedRefreshTests<TServer> : IAsyncLifetime, IDisposable
    where TServer : ServerFactory, new()
{
    // The tests move the clock by days: keep the hourly expired-device cleanup from racing the refresh under test.
    private const string NoCleanup = "30.00:00:00";

    private readonly ServerFactory _server = new TServer().WithSettings(("JwtDevices:CleanupInterval", NoCleanup));
    private HttpClient _client = null!;
    private ApiClient.Login _login = null!;

    public async Task InitializeAsync()
    {
        await _server.AddUserAsync("refresher");
        _client = _server.CreateClient();
        _login = await _client.LoginAsync("refresher");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Refresh_WithoutHeader_Is400()
    {
        using var response = await _client.RefreshAsync(null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("required", body.GetProperty("code").GetString());
        Assert.True(body.GetProperty("errors").TryGetProperty("Permanent-Token", out _));
    }

    [Fact]
    public async Task Refresh_WithUnknownToken_Is400()
    {
        using var response = await _client.RefreshAsync("not-a-token-we-gave");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_permanent_token", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(1, await _server.CountDevicesAsync());
    }

    [Fact]
    public async Task Refresh_ReturnsOnlyANewTokenThatAuthenticates()
    {
        using var response = await _client.RefreshAsync(_login.PermanentToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(["token"], body.Keys());
        var token = body.GetProperty("token").GetString();
        Assert.NotEqual(_login.Token, token);
        using var me = await _client.SendWithTokenAsync(HttpMethod.Get, "/me", token);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(_login.DeviceId, (await me.ReadJsonAsync()).GetProperty("device_id").GetInt64());
    }

    [Fact]
    public async Task Refresh_MovesLastRequestToNow_WhenOlderThanAccuracy()
    {
        _server.Time.Advance(TimeSpan.FromMinutes(31));

        using var response = await _client.RefreshAsync(_login.PermanentToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var now = _server.Time.GetUtcNow();
        Assert.Equal(now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond)), await LastRequestAsync()); // stored to the microsecond
    }

    [Fact]
    public async Task Refresh_KeepsLastRequest_WithinAccuracy()
    {
        var loggedInAt = await LastRequestAsync();
        _server.Time.Advance(TimeSpan.FromMinutes(29));

        using var response = await _client.RefreshAsync(_login.PermanentToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(loggedInAt, await LastRequestAsync());
    }

    [Fact]
    public async Task Refresh_DeletesDevice_WhenPermanentTokenExpired()
    {
        _server.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        using var response = await _client.RefreshAsync(_login.PermanentToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("expired_permanent_token", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(0, await _server.CountDevicesAsync());
        using var again = await _client.RefreshAsync(_login.PermanentToken);
        Assert.Equal("invalid_permanent_token", (await again.ReadJsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Refresh_KeepsDeviceAlive_WhileUsedWithinLifetime()
    {
        _server.Time.Advance(TimeSpan.FromDays(6));
        using var first = await _client.RefreshAsync(_login.PermanentToken);
        _server.Time.Advance(TimeSpan.FromDays(6));

        using var second = await _client.RefreshAsync(_login.PermanentToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, await _server.CountDevicesAsync());
    }

    [Fact]
    public async Task Refresh_HonoursConfiguredLifetimeAndAccuracy()
    {
        await using var server = _server.WithOwnDatabase(
            ("JwtDevices:PermanentTokenLifetime", "01:00:00"),
            ("JwtDevices:PermanentTokenExpirationAccuracy", "00:01:00"),
            ("JwtDevices:CleanupInterval", NoCleanup));
        await server.AddUserAsync("short_lived");
        var client = server.CreateClient();
        var login = await client.LoginAsync("short_lived");

        server.Time.Advance(TimeSpan.FromMinutes(2));
        using var moved = await client.RefreshAsync(login.PermanentToken);
        server.Time.Advance(TimeSpan.FromMinutes(61));
        using var expired = await client.RefreshAsync(login.PermanentToken);

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Equal(0, await server.CountDevicesAsync());
    }

    private Task<DateTimeOffset> LastRequestAsync() =>
        _server.WithDatabaseAsync(db => db.Set<Devices.Device>().Where(d => d.Id == _login.DeviceId).Select(d => d.LastRequest).SingleAsync());
}

public sealed class SeedRefreshOnSqlite : SeedRefreshTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class SeedRefreshOnPostgres : SeedRefreshTests<PostgresServer>;
