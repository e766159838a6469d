using System.Net;
using JwtDevices.Revocation;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Revocation;

/// <summary>
/// A log-out that races a refresh never lets the device's tokens back in. Each test holds the refresh at
/// one point inside the store, logs the device out meanwhile, then lets the refresh finish.
/// </summary>
public abstract class LogOutRaceTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private readonly StoreGates _gates = new();
    private ServerFactory _server = null!;
    private WebApplicationFactory<Program> _gated = null!;

    public void Dispose()
    {
        _gated?.Dispose();
        _server?.Dispose();
    }

    [Fact]
    public async Task ALogOut_AfterRefreshFoundTheDevice_RevokesTheTokenThatRefreshThenIssues()
    {
        var (client, login) = await LogInAsync("race_found");

        var held = _gates.CloseAsync(GatedDeviceStore.AfterFindByPermanentTokenHash, out var release);
        var refresh = client.RefreshAsync(login.PermanentToken);
        await held;
        await LogOutAsync(client, login);
        release();
        using var refreshed = await refresh;

        await AssertNothingLetsTheDeviceBackInAsync(client, login, refreshed);
    }

    [Fact]
    public async Task ATokenIssuedByARefreshThatRacedALogOut_DiesBeforeTheRevocationIsForgotten()
    {
        // The refresh is held for longer than nodes' clocks may differ. Its token must still expire before the
        // revocation leaves memory: its issue time is read before the device is found.
        var (client, login) = await LogInAsync("race_slow");
        var revoked = _gated.Services.GetRequiredService<RevokedDevices>();

        var held = _gates.CloseAsync(GatedDeviceStore.AfterFindByPermanentTokenHash, out var release);
        var refresh = client.RefreshAsync(login.PermanentToken);
        await held;
        await LogOutAsync(client, login);
        _server.Time.Advance(RevokedDevices.ClockDriftAllowance * 2);
        release();
        using var refreshed = await refresh;
        var token = (await refreshed.ReadJsonAsync()).GetProperty("token").GetString();
        _server.Time.Advance(revoked.Retention - RevokedDevices.ClockDriftAllowance * 2 + TimeSpan.FromSeconds(1));
        // Prune as the synchronizer would at its next tick: whether its timer was armed before or after the clock
        // moved depends on how fast its last read of the log was, which a test must not depend on.
        revoked.Prune();
        var stillKept = revoked.Contains(login.DeviceId!.Value);
        using var me = await client.SendWithTokenAsync(HttpMethod.Get, "/me", token);

        Assert.False(stillKept);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task ALogOut_BeforeRefreshMovesTheLastSeenTime_LeavesTheDeviceGone()
    {
        // Tokens outlive the accuracy window, so the log-out can still use the log-in's token after the clock moves.
        var (client, login) = await LogInAsync("race_last_seen", ("JwtDevices:AccessTokenLifetime", "01:00:00"));
        _server.Time.Advance(TimeSpan.FromMinutes(31)); // past the accuracy window: refresh writes last-seen

        var held = _gates.CloseAsync(GatedDeviceStore.BeforeUpdateLastRequest, out var release);
        var refresh = client.RefreshAsync(login.PermanentToken);
        await held;
        await LogOutAsync(client, login);
        release();
        using var refreshed = await refresh;

        await AssertNothingLetsTheDeviceBackInAsync(client, login, refreshed);
    }

    private async Task<(HttpClient Client, ApiClient.Login Login)> LogInAsync(string name, params (string Key, string? Value)[] settings)
    {
        _server = new TServer().WithSettings(settings);
        _gated = GatedDeviceStore.Install(_server, _gates);
        await _server.AddUserAsync(name);
        var client = _gated.CreateClient();
        return (client, await client.LoginAsync(name));
    }

    private static async Task LogOutAsync(HttpClient client, ApiClient.Login login)
    {
        using var logout = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{login.DeviceId}/", login.Token);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
    }

    private async Task AssertNothingLetsTheDeviceBackInAsync(HttpClient client, ApiClient.Login login, HttpResponseMessage refreshed)
    {
        // The refresh found the device before the log-out, so it may answer with a token: one that is dead.
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var token = (await refreshed.ReadJsonAsync()).GetProperty("token").GetString();
        using var withNewToken = await client.SendWithTokenAsync(HttpMethod.Get, "/me", token);
        using var withOldToken = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);
        using var again = await client.RefreshAsync(login.PermanentToken);

        Assert.Equal(HttpStatusCode.Unauthorized, withNewToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withOldToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(0, await _server.CountDevicesAsync());
    }
}

public sealed class LogOutRaceOnSqlite : LogOutRaceTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class LogOutRaceOnPostgres : LogOutRaceTests<PostgresServer>;
