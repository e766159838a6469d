using System.Net;
using JwtDevices.Tests.Attacks;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Tests.Dpop;

/// <summary>A client with a DPoP key, through the real server: log-in binds, refresh and requests need the key.</summary>
public sealed class DpopFlowTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task LogIn_WithAProof_BindsTheDevice_AndAnswersTokenTypeDpop()
    {
        await server.EnsureUserAsync("dpop_binds");
        using var key = new DpopKey();

        var login = await server.CreateClient().DpopLoginAsync(server, "dpop_binds", key);

        Assert.Equal(["device_id", "permanent_token", "token", "token_type"], login.Body.Keys());
        Assert.Equal("DPoP", login.Body.GetProperty("token_type").GetString());
        Assert.Equal(key.Thumbprint, DpopKey.JktOf(login.Token));
        var stored = await server.WithDatabaseAsync(db => db.Set<Devices.Device>().AsNoTracking().SingleAsync(d => d.Id == login.DeviceId));
        Assert.Equal(key.Thumbprint, stored.DpopKeyThumbprint);
    }

    [Fact]
    public async Task LogIn_WithoutAProof_GetsExactlyTheSeedsAnswer_AndAnUnboundDevice()
    {
        await server.EnsureUserAsync("dpop_seed");

        var login = await server.CreateClient().LoginAsync("dpop_seed");

        Assert.Equal(["device_id", "permanent_token", "token"], login.Body.Keys());
        Assert.Null(HandMadeJwt.Payload(login.Token)["cnf"]);
        var stored = await server.WithDatabaseAsync(db => db.Set<Devices.Device>().AsNoTracking().SingleAsync(d => d.Id == login.DeviceId));
        Assert.Null(stored.DpopKeyThumbprint);
    }

    [Fact]
    public async Task BoundToken_WithAFreshProof_IsAccepted_AndTheApplicationSeesTheKeysThumbprint()
    {
        await server.EnsureUserAsync("dpop_me");
        using var key = new DpopKey();
        var client = server.CreateClient();
        var login = await client.DpopLoginAsync(server, "dpop_me", key);

        using var me = await client.SendBoundAsync(server, key, HttpMethod.Get, "/me", login.Token);
        using var devices = await client.SendBoundAsync(server, key, HttpMethod.Get, "/devices/", login.Token);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(key.Thumbprint, (await me.ReadJsonAsync()).GetProperty("dpop_jkt").GetString());
        Assert.Equal(HttpStatusCode.OK, devices.StatusCode);
    }

    [Fact]
    public async Task UnboundToken_AnswersMeWithoutAThumbprint()
    {
        await server.EnsureUserAsync("dpop_unbound_me");
        var login = await server.CreateClient().LoginAsync("dpop_unbound_me");

        using var me = await server.CreateClient().SendWithTokenAsync(HttpMethod.Get, "/me", login.Token, "Bearer");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(["device_id", "email", "user_id", "username"], (await me.ReadJsonAsync()).Keys());
    }

    [Fact]
    public async Task UnboundToken_SentAsDpop_Is401InvalidToken()
    {
        await server.EnsureUserAsync("dpop_unbound_as_dpop");
        using var key = new DpopKey();
        var login = await server.CreateClient().LoginAsync("dpop_unbound_as_dpop");

        using var response = await server.CreateClient().SendBoundAsync(server, key, HttpMethod.Get, "/me", login.Token);

        DpopClient.AssertDpopChallenge(response, "invalid_token");
    }

    [Fact]
    public async Task Refresh_OfABoundDevice_WithAProofByItsKey_GivesABoundTokenThatWorks()
    {
        await server.EnsureUserAsync("dpop_refresh");
        using var key = new DpopKey();
        var client = server.CreateClient();
        var login = await client.DpopLoginAsync(server, "dpop_refresh", key);

        using var refreshed = await client.DpopRefreshAsync(login.PermanentToken!, key.Proof("POST", "/device-refresh-token/", server.Time.GetUtcNow()));

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var body = await refreshed.ReadJsonAsync();
        Assert.Equal(["token", "token_type"], body.Keys());
        Assert.Equal("DPoP", body.GetProperty("token_type").GetString());
        var token = body.GetProperty("token").GetString()!;
        Assert.Equal(key.Thumbprint, DpopKey.JktOf(token));
        using var me = await client.SendBoundAsync(server, key, HttpMethod.Get, "/me", token);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Refresh_OfABoundDevice_WithoutAProof_Is400_ChangesNothing_AndIsLoggedAndCounted()
    {
        await server.EnsureUserAsync("dpop_stolen_refresh");
        using var key = new DpopKey();
        var client = server.CreateClient();
        var login = await client.DpopLoginAsync(server, "dpop_stolen_refresh", key);
        server.Time.Advance(TimeSpan.FromHours(1)); // past the accuracy window: a refresh that got through would write
        var before = await StoredData.ReadAsync(server);

        using var refused = await client.DpopRefreshAsync(login.PermanentToken!, null);

        await DpopClient.AssertTokenEndpointRefusalAsync(refused, "invalid_dpop_proof");
        await StoredData.AssertUnchangedAsync(server, before);
        Assert.Contains(server.LogLines, line => line.Contains("DPoP proof refused at refresh", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnboundDevice_RefreshedWithAProof_StaysUnbound_WithTheSeedsAnswer()
    {
        await server.EnsureUserAsync("dpop_unbound_refresh");
        using var key = new DpopKey();
        var login = await server.CreateClient().LoginAsync("dpop_unbound_refresh");

        using var refreshed = await server.CreateClient().DpopRefreshAsync(login.PermanentToken!, key.Proof("POST", "/device-refresh-token/", server.Time.GetUtcNow()));

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(["token"], (await refreshed.ReadJsonAsync()).Keys());
    }

    [Fact]
    public async Task BoundToken_SentAsBearerOrJwt_Is401WithADpopInvalidTokenChallenge()
    {
        await server.EnsureUserAsync("dpop_as_bearer");
        using var key = new DpopKey();
        var client = server.CreateClient();
        var login = await client.DpopLoginAsync(server, "dpop_as_bearer", key);

        foreach (var scheme in new[] { "Bearer", "JWT" })
        {
            using var response = await client.SendBoundAsync(HttpMethod.Get, "/me", login.Token,
                key.Proof("GET", "/me", server.Time.GetUtcNow(), login.Token), scheme);

            DpopClient.AssertDpopChallenge(response, "invalid_token", scheme);
        }
    }
}
