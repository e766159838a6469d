using System.Net;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JwtDevices.Tests.Pages;

/// <summary>
/// Every way a device ends also ends its bound browser session: the browser's next DBSC refresh, even with a
/// correct proof, is told <c>continue: false</c> and gets no new cookie.
/// </summary>
public sealed partial class DbscEndpointTests
{
    [Fact]
    public async Task Refresh_AfterSignOutEverywhere_TellsTheBrowserToStop()
    {
        using var client = Client();
        using var key = new DpopKey();
        var username = "dbsc_everywhere" + Guid.NewGuid().ToString("N")[..6];
        var (deviceId, challenge) = await SignInAsync(client, username);
        using var registered = await RegisterAsync(client, Proof(key, challenge));
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        // The user signs out everywhere from another device (an API client).
        var other = await server.CreateClient().LoginAsync(username);
        using var signedOut = await server.CreateClient().SendWithTokenAsync(HttpMethod.Post, "/device-logout-all/", other.Token);
        Assert.True(signedOut.IsSuccessStatusCode, $"device-logout-all answered {signedOut.StatusCode}");

        using var response = await RefreshAsync(client, deviceId.ToString(), RefreshProof(key, ChallengeOf(registered, deviceId)));

        await AssertEndedAsync(response, deviceId);
    }

    [Fact]
    public async Task Refresh_AfterTheAdministratorRevokesTheDevice_TellsTheBrowserToStop()
    {
        using var client = Client();
        using var key = new DpopKey();
        var (deviceId, challenge) = await SignInAsync(client, "dbsc_revoked" + Guid.NewGuid().ToString("N")[..6]);
        using var registered = await RegisterAsync(client, Proof(key, challenge));
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var admin = "dbsc_admin" + Guid.NewGuid().ToString("N")[..6];
        await server.EnsureUserAsync(admin);
        await server.MakeAdminAsync(admin);
        var adminToken = (await server.CreateClient().LoginAsync(admin)).Token;
        using var revoked = await server.CreateClient().SendWithTokenAsync(HttpMethod.Delete, $"/admin/devices/{deviceId}/", adminToken);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        using var response = await RefreshAsync(client, deviceId.ToString(), RefreshProof(key, ChallengeOf(registered, deviceId)));

        await AssertEndedAsync(response, deviceId);
    }

    /// <summary>
    /// Once bound, the device's permanent token refreshes only with a DPoP proof by the browser's key (whoever lacks
    /// it cannot even trip the reuse detection), so here the test holds the key: it rotates the token once, then
    /// presents the replaced token past the reuse interval.
    /// </summary>
    [Fact]
    public async Task Refresh_AfterRotationReuseDetectionEndsTheDevice_TellsTheBrowserToStop()
    {
        using var rotating = new ProductionServer().WithSettings(("JwtDevices:RotatePermanentTokens", "true"));
        using var client = rotating.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri(Origin), HandleCookies = false, AllowAutoRedirect = false,
        });
        using var key = new DpopKey();
        await rotating.EnsureUserAsync("dbsc_reused");
        using var login = PageClient.Request("/page/login/", new { username = "dbsc_reused", password = "password123" }, origin: Origin);
        using var signIn = await client.SendAsync(login);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var deviceId = (await signIn.ReadJsonAsync()).GetProperty("device_id").GetInt64();
        var replaced = Uri.UnescapeDataString(Assert.Single(SetCookies(signIn), c => c.StartsWith("__Host-jwtdevices_page=", StringComparison.Ordinal))
            .Split(';')[0]["__Host-jwtdevices_page=".Length..]);
        using var registered = await RegisterAsync(client, Proof(key, ChallengeIn(signIn)));
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        const string refreshUrl = Origin + "/device-refresh-token/";
        using var rotated = await client.DpopRefreshAsync(replaced, key.Proof("POST", refreshUrl, rotating.Time.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        rotating.Time.Advance(TimeSpan.FromMinutes(1));
        using var reused = await client.DpopRefreshAsync(replaced, key.Proof("POST", refreshUrl, rotating.Time.GetUtcNow()));
        Assert.Equal("permanent_token_reused", (await reused.ReadJsonAsync()).GetProperty("code").GetString());

        using var response = await RefreshAsync(client, deviceId.ToString(), RefreshProof(key, ChallengeOf(registered, deviceId)));

        await AssertEndedAsync(response, deviceId);
    }

    // continue: false for this session, and the only cookie set is the bound cookie's deletion.
    private static async Task AssertEndedAsync(HttpResponseMessage response, long deviceId)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.False(body.GetProperty("continue").GetBoolean());
        Assert.Equal(deviceId.ToString(), body.GetProperty("session_identifier").GetString());
        Assert.False(body.TryGetProperty("credentials", out _));
        Assert.All(SetCookies(response), c => Assert.Contains("expires=Thu, 01 Jan 1970", c));
        Assert.False(response.Headers.Contains("Secure-Session-Challenge"));
    }
}
