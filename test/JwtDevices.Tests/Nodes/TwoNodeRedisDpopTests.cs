using System.Net;
using JwtDevices.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>
/// Two nodes on one database and Redis, and a client with a DPoP key: it logs in on A, refreshes on B and calls
/// both; a copy of its tokens without the key gets nowhere on either; a proof used on one node is refused on the other.
/// </summary>
[Collection(NodeTestsRunAlone.Name)]
[RequiresService(TestServices.Redis)]
public sealed class TwoNodeRedisDpopTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BoundClient_WorksOnBothNodes_ACopyWithoutTheKeyOnNeither_AndAProofIsGoodOnceAcrossNodes()
    {
        if (TestRedis.Address(output) is not { } redis)
        {
            return;
        }
        using var deployment = new Deployment(pollInterval: TimeSpan.FromHours(1), redis);
        var a = deployment.StartNode();
        var b = deployment.StartNode();
        await deployment.AddUserAsync("dpop_two_nodes");
        await Eventually.HoldsAsync(() => a.Bus!.IsConnected && b.Bus!.IsConnected, "both nodes are connected to Redis");
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        using var key = new DpopKey();

        // The owner: log in on A, refresh on B, call both.
        using var loginRequest = new HttpRequestMessage(HttpMethod.Post, "/auth-token/")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { username = "dpop_two_nodes", password = "password123" }),
        };
        loginRequest.Headers.TryAddWithoutValidation("DPoP", key.Proof("POST", "/auth-token/", DateTimeOffset.UtcNow));
        using var login = await clientA.SendAsync(loginRequest);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.ReadJsonAsync();
        var permanentToken = body.GetProperty("permanent_token").GetString()!;
        using var refreshed = await clientB.DpopRefreshAsync(permanentToken, key.Proof("POST", "/device-refresh-token/", DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var token = (await refreshed.ReadJsonAsync()).GetProperty("token").GetString()!;
        foreach (var client in new[] { clientA, clientB })
        {
            using var me = await client.SendBoundAsync(HttpMethod.Get, "/me", token, key.Proof("GET", "/me", DateTimeOffset.UtcNow, token));
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        // A copy of the permanent token and the JWT, without the key.
        foreach (var client in new[] { clientA, clientB })
        {
            using var refresh = await client.DpopRefreshAsync(permanentToken, null);
            await DpopClient.AssertTokenEndpointRefusalAsync(refresh, "invalid_dpop_proof");
            using var asBearer = await client.SendBoundAsync(HttpMethod.Get, "/me", token, null, "Bearer");
            DpopClient.AssertDpopChallenge(asBearer, "invalid_token");
            using var withoutProof = await client.SendBoundAsync(HttpMethod.Get, "/me", token, null);
            DpopClient.AssertDpopChallenge(withoutProof, "invalid_dpop_proof");
        }

        // A proof captured on its way to A, replayed to B.
        var proof = key.Proof("GET", "/me", DateTimeOffset.UtcNow, token);
        using (var first = await clientA.SendBoundAsync(HttpMethod.Get, "/me", token, proof))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using var replayed = await clientB.SendBoundAsync(HttpMethod.Get, "/me", token, proof);
        DpopClient.AssertDpopChallenge(replayed, "invalid_dpop_proof");
        Assert.Contains("used before", replayed.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
    }
}
