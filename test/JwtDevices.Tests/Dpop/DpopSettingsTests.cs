using System.Net;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Dpop;

/// <summary>The settings of <c>JwtDevices:Dpop</c> and the per-user event, through the real server.</summary>
public sealed class DpopSettingsTests
{
    [Fact]
    public async Task RequiredMode_RefusesALogInWithoutAProof_AndTakesOneWithIt()
    {
        using var server = new ServerFactory(("JwtDevices:Dpop:Mode", "Required"));
        await server.EnsureUserAsync("dpop_required");
        using var key = new DpopKey();
        var client = server.CreateClient();

        using var refused = await client.PostDpopLoginAsync(server, "dpop_required", null);
        using var accepted = await client.PostDpopLoginAsync(server, "dpop_required", key);

        await DpopClient.AssertTokenEndpointRefusalAsync(refused, "invalid_dpop_proof");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task DisabledMode_IgnoresTheProof_AndAnswersTheSeedsLogIn()
    {
        using var server = new ServerFactory(("JwtDevices:Dpop:Mode", "Disabled"));
        await server.EnsureUserAsync("dpop_disabled");
        using var key = new DpopKey();

        using var login = await server.CreateClient().PostDpopLoginAsync(server, "dpop_disabled", key);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(["device_id", "permanent_token", "token"], (await login.ReadJsonAsync()).Keys());
    }

    [Fact]
    public async Task DpopLogInEvent_RequiresAKeyOfOneUserOnly()
    {
        using var server = new ServerFactory().WithServices(services => services.PostConfigure<JwtDevicesOptions>(JwtDevicesDefaults.AuthenticationScheme,
            options => options.Events.OnDpopLogIn = context =>
            {
                context.RequireDpop |= context.User.UserName == "dpop_admin";
                return Task.CompletedTask;
            }));
        await server.EnsureUserAsync("dpop_admin");
        await server.EnsureUserAsync("dpop_someone");
        using var key = new DpopKey();
        var client = server.CreateClient();

        using var adminWithout = await client.PostDpopLoginAsync(server, "dpop_admin", null);
        using var adminWith = await client.PostDpopLoginAsync(server, "dpop_admin", key);
        using var someoneWithout = await client.PostDpopLoginAsync(server, "dpop_someone", null);

        await DpopClient.AssertTokenEndpointRefusalAsync(adminWithout, "invalid_dpop_proof");
        Assert.Equal(HttpStatusCode.OK, adminWith.StatusCode);
        Assert.Equal(HttpStatusCode.OK, someoneWithout.StatusCode);
    }

    [Fact]
    public async Task RequiredNonce_IsAskedFor_WithADpopNonceHeader_AndTheRetryWithItWorks()
    {
        using var server = new ServerFactory(("JwtDevices:Dpop:RequireNonce", "true"));
        await server.EnsureUserAsync("dpop_nonce");
        using var key = new DpopKey();
        var client = server.CreateClient();

        using var first = await client.PostDpopLoginAsync(server, "dpop_nonce", key);
        await DpopClient.AssertTokenEndpointRefusalAsync(first, "use_dpop_nonce");
        var nonce = Assert.Single(first.Headers.GetValues("DPoP-Nonce"));
        using var retried = await client.PostDpopLoginAsync(server, "dpop_nonce", null,
            key.Proof("POST", "/auth-token/", server.Time.GetUtcNow(), nonce: nonce));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var body = await retried.ReadJsonAsync();
        var token = body.GetProperty("token").GetString()!;

        // A request: with the nonce it passes; after two nonce windows the same nonce is stale.
        using var me = await client.SendBoundAsync(HttpMethod.Get, "/me", token, key.Proof("GET", "/me", server.Time.GetUtcNow(), token, nonce));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        server.Time.Advance(TimeSpan.FromMinutes(4)); // still within the token's lifetime, and the nonce's next window
        using var stillGood = await client.SendBoundAsync(HttpMethod.Get, "/me", token, key.Proof("GET", "/me", server.Time.GetUtcNow(), token, nonce));
        Assert.Equal(HttpStatusCode.OK, stillGood.StatusCode);
        server.Time.Advance(TimeSpan.FromMinutes(10));
        using var refresh = await client.DpopRefreshAsync(body.GetProperty("permanent_token").GetString()!,
            key.Proof("POST", "/device-refresh-token/", server.Time.GetUtcNow(), nonce: nonce));
        await DpopClient.AssertTokenEndpointRefusalAsync(refresh, "use_dpop_nonce");
        Assert.NotEqual(nonce, Assert.Single(refresh.Headers.GetValues("DPoP-Nonce")));
    }

    [Fact]
    public async Task RequiredNonce_OnARequest_Is401UseDpopNonce_WithTheNonce()
    {
        using var server = new ServerFactory(("JwtDevices:Dpop:RequireNonce", "true"));
        await server.EnsureUserAsync("dpop_nonce_request");
        using var key = new DpopKey();
        var client = server.CreateClient();
        using var first = await client.PostDpopLoginAsync(server, "dpop_nonce_request", key);
        var nonce = Assert.Single(first.Headers.GetValues("DPoP-Nonce"));
        using var login = await client.PostDpopLoginAsync(server, "dpop_nonce_request", null, key.Proof("POST", "/auth-token/", server.Time.GetUtcNow(), nonce: nonce));
        var token = (await login.ReadJsonAsync()).GetProperty("token").GetString()!;

        using var withoutNonce = await client.SendBoundAsync(server, key, HttpMethod.Get, "/me", token);

        DpopClient.AssertDpopChallenge(withoutNonce, "use_dpop_nonce");
        Assert.Single(withoutNonce.Headers.GetValues("DPoP-Nonce"));
    }

    [Theory]
    [InlineData("JwtDevices:Dpop:Algorithms:0", "HS256", "JwtDevices:Dpop:Algorithms")]
    [InlineData("JwtDevices:Dpop:Algorithms:0", "none", "JwtDevices:Dpop:Algorithms")]
    [InlineData("JwtDevices:Dpop:ProofLifetime", "00:00:00", "JwtDevices:Dpop:ProofLifetime")]
    [InlineData("JwtDevices:Dpop:ProofLifetime", "02:00:00", "JwtDevices:Dpop:ProofLifetime")]
    [InlineData("JwtDevices:Dpop:PublicOrigin", "https://api.example.com/v1", "JwtDevices:Dpop:PublicOrigin")]
    [InlineData("JwtDevices:Dpop:ReplayCacheSize", "10", "JwtDevices:Dpop:ReplayCacheSize")]
    [InlineData("JwtDevices:Dpop:NonceLifetime", "00:00:00", "JwtDevices:Dpop:NonceLifetime")]
    public void NonsenseSettings_StopStartUp_NamingTheSetting(string setting, string value, string named)
    {
        using var server = new ServerFactory((setting, value));

        var failure = Assert.ThrowsAny<Exception>(() => server.CreateClient());

        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }
}
