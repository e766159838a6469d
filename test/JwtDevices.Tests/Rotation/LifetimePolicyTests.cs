using System.Globalization;
using System.Net;
using JwtDevices.Devices;
using JwtDevices.Revocation;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Rotation;

/// <summary>
/// The lifetime policy: <c>PermanentTokenAbsoluteLifetime</c> ends a device however active it is, and
/// <c>MaxDevicesPerUser</c> evicts the least recently used device or refuses the log-in.
/// </summary>
public abstract class LifetimePolicyTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private const string NoCleanup = "30.00:00:00";

    private readonly TServer _server = new();

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AbsoluteLifetime_EndsAnActiveDevice_AtThatTimeAfterItsLogIn(bool rotate)
    {
        _server.WithSettings(
            ("JwtDevices:PermanentTokenAbsoluteLifetime", "01:00:00"),
            ("JwtDevices:PermanentTokenExpirationAccuracy", "00:00:00"),
            ("JwtDevices:RotatePermanentTokens", rotate ? "true" : "false"),
            ("JwtDevices:CleanupInterval", NoCleanup));
        await _server.AddUserAsync("mayfly");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("mayfly");
        var permanent = login.PermanentToken;
        string? token = null;

        // Refreshes at 20, 40 and 59 minutes all succeed, then one past the hour does not.
        foreach (var minutes in new[] { 20, 20, 19 })
        {
            _server.Time.Advance(TimeSpan.FromMinutes(minutes));
            var answer = await RefreshAnswer.OfAsync(client, permanent);
            Assert.True(answer.Status == HttpStatusCode.OK, $"At {minutes} minutes: {answer.Status} {answer.Code}.");
            token = answer.Token;
            permanent = answer.PermanentToken ?? permanent;
        }
        _server.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var late = await RefreshAnswer.OfAsync(client, permanent);

        Assert.Equal(HttpStatusCode.BadRequest, late.Status);
        Assert.Equal("expired_permanent_token", late.Code);
        Assert.Equal(0, await _server.CountDevicesAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", token));
        var revocation = await _server.WithDatabaseAsync(db => db.Set<DeviceRevocation>().AsNoTracking().SingleAsync());
        Assert.Equal(DeviceRevocationReason.AbsoluteLifetimeEnded, revocation.Reason);
    }

    [Fact]
    public async Task TheCleanup_EndsDevicesPastTheirAbsoluteLifetime_AndTheirLiveTokens()
    {
        _server.WithSettings(
            ("JwtDevices:PermanentTokenAbsoluteLifetime", "01:00:00"),
            ("JwtDevices:AccessTokenLifetime", "02:00:00"),
            ("JwtDevices:CleanupInterval", NoCleanup));
        await _server.AddUserAsync("longlived");
        var client = _server.CreateClient();
        var old = await client.LoginAsync("longlived");
        _server.Time.Advance(TimeSpan.FromMinutes(30));
        var young = await client.LoginAsync("longlived");
        _server.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", old.Token));

        await using (var scope = _server.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IDeviceRevocationService>().PurgeExpiredAsync(CancellationToken.None);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", old.Token));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", young.Token));
        var left = await _server.WithDatabaseAsync(db => db.Set<Device>().Select(d => d.Id).ToListAsync());
        Assert.Equal([young.DeviceId!.Value], left);
        var revocation = await _server.WithDatabaseAsync(db => db.Set<DeviceRevocation>().AsNoTracking().SingleAsync());
        Assert.Equal((old.DeviceId!.Value, DeviceRevocationReason.AbsoluteLifetimeEnded), (revocation.DeviceId, revocation.Reason));
    }

    [Fact]
    public async Task WithoutAnAbsoluteLifetime_AnActiveDeviceLivesOn()
    {
        _server.WithSettings(("JwtDevices:CleanupInterval", NoCleanup));
        await _server.AddUserAsync("evergreen");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("evergreen");

        for (var day = 0; day < 30; day++)
        {
            _server.Time.Advance(TimeSpan.FromDays(1));
            Assert.Equal(HttpStatusCode.OK, (await RefreshAnswer.OfAsync(client, login.PermanentToken)).Status);
        }
    }

    [Fact]
    public async Task MaxDevices_Evict_RevokesTheLeastRecentlyUsedDevice()
    {
        _server.WithSettings(
            ("JwtDevices:MaxDevicesPerUser", "2"),
            ("JwtDevices:PermanentTokenExpirationAccuracy", "00:00:00"),
            ("JwtDevices:CleanupInterval", NoCleanup));
        await _server.AddUserAsync("juggler");
        var client = _server.CreateClient();
        var first = await client.LoginAsync("juggler", deviceModel: "first");
        _server.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await client.LoginAsync("juggler", deviceModel: "second");
        _server.Time.Advance(TimeSpan.FromMinutes(1));
        // The first device is used again: the second is now the least recently used.
        var used = await RefreshAnswer.OfAsync(client, first.PermanentToken);
        _server.Time.Advance(TimeSpan.FromMinutes(1));

        var third = await client.LoginAsync("juggler", deviceModel: "third");

        using var list = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", third.Token);
        var names = (await list.ReadJsonAsync()).EnumerateArray().Select(d => d.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["first", "third"], names);
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", second.Token));
        Assert.Equal("invalid_permanent_token", (await RefreshAnswer.OfAsync(client, second.PermanentToken)).Code);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", used.Token));
        var revocation = await _server.WithDatabaseAsync(db => db.Set<DeviceRevocation>().AsNoTracking().SingleAsync());
        Assert.Equal((second.DeviceId!.Value, DeviceRevocationReason.DeviceLimitEvicted), (revocation.DeviceId, revocation.Reason));
        Assert.Contains(_server.LogLines, line => line.Contains("reached the limit of 2 devices", StringComparison.Ordinal)
            && line.Contains("(1 devices evicted)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MaxDevices_Reject_RefusesTheLogIn_UntilADeviceLogsOut()
    {
        _server.WithSettings(
            ("JwtDevices:MaxDevicesPerUser", "2"),
            ("JwtDevices:DeviceLimitStrategy", "Reject"),
            ("JwtDevices:CleanupInterval", NoCleanup));
        await _server.AddUserAsync("doorman");
        await _server.AddUserAsync("neighbour");
        var client = _server.CreateClient();
        var first = await client.LoginAsync("doorman");
        await client.LoginAsync("doorman");

        using var refused = await client.PostLoginAsync("doorman", "password123");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = await refused.ReadJsonAsync();
        Assert.Equal("device_limit_reached", body.GetProperty("code").GetString());
        Assert.False(body.TryGetProperty("token", out _));
        Assert.Equal(2, await _server.CountDevicesAsync());
        // The limit is per user.
        await client.LoginAsync("neighbour");
        using var logout = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", first.Token,
            headers: ("Device-Id", first.DeviceId!.Value.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await client.LoginAsync("doorman");
    }

    [Fact]
    public async Task MaxDevices_Reject_StillChecksThePasswordFirst()
    {
        _server.WithSettings(("JwtDevices:MaxDevicesPerUser", "1"), ("JwtDevices:DeviceLimitStrategy", "Reject"));
        await _server.AddUserAsync("guarded");
        var client = _server.CreateClient();
        await client.LoginAsync("guarded");

        using var wrong = await client.PostLoginAsync("guarded", "not-the-password");

        Assert.Equal("invalid_credentials", (await wrong.ReadJsonAsync()).GetProperty("code").GetString());
    }
}

public sealed class LifetimePolicyOnSqlite : LifetimePolicyTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class LifetimePolicyOnPostgres : LifetimePolicyTests<PostgresServer>;
