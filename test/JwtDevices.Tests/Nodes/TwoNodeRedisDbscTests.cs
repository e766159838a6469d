using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>
/// Two nodes on one database and Redis, and a browser bound by DBSC: a DBSC challenge is taken once across the
/// nodes (Redis <c>SET NX</c>), so a refresh proof used on A is refused on B, whose own memory has never seen it.
/// </summary>
[Collection(NodeTestsRunAlone.Name)]
[RequiresService(TestServices.Redis)]
public sealed partial class TwoNodeRedisDbscTests(ITestOutputHelper output)
{
    private const string Origin = "https://localhost";

    [Fact]
    public async Task ARefreshProofUsedOnNodeA_IsRefusedOnNodeB_AndBsOwnChallengeWorks()
    {
        if (TestRedis.Address(output) is not { } redis)
        {
            return;
        }
        using var deployment = new Deployment(pollInterval: TimeSpan.FromHours(1), redis);
        var a = deployment.StartNode();
        var b = deployment.StartNode();
        await deployment.AddUserAsync("dbsc_two_nodes");
        using var clientA = Client(a);
        using var clientB = Client(b);
        using var key = new DpopKey();

        using var login = PageClient.Request("/page/login/", new { username = "dbsc_two_nodes", password = "password123" }, origin: Origin);
        using var signIn = await clientA.SendAsync(login);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var deviceId = (await signIn.ReadJsonAsync()).GetProperty("device_id").GetInt64().ToString();
        var registrationChallenge = RegistrationChallenge().Match(signIn.Headers.GetValues("Secure-Session-Registration").Single()).Groups[1].Value;
        using var register = new HttpRequestMessage(HttpMethod.Post, "/page/dbsc/register/");
        register.Headers.TryAddWithoutValidation("Secure-Session-Response",
            key.Sign(new JsonObject { ["alg"] = "ES256", ["jwk"] = key.PublicJwk, ["typ"] = "dbsc+jwt" }, new JsonObject { ["jti"] = registrationChallenge }));
        using var registered = await clientA.SendAsync(register);
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);

        // A proof over the challenge of the registration's answer, captured on its way to A and replayed to B.
        var proof = RefreshProof(key, Challenge(registered));
        using var onA = await RefreshAsync(clientA, deviceId, proof);
        using var onB = await RefreshAsync(clientB, deviceId, proof);

        Assert.Equal(HttpStatusCode.OK, onA.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, onB.StatusCode);
        Assert.False(onB.Headers.Contains("Set-Cookie"));
        Assert.Contains(b.LogLines, line => line.Contains("A DBSC refresh proof was refused: replayed.", StringComparison.Ordinal));
        // The browser signs B's fresh challenge, and B renews its cookie.
        using var retried = await RefreshAsync(clientB, deviceId, RefreshProof(key, Challenge(onB)));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    private static HttpClient Client(NodeFactory node) => node.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri(Origin), HandleCookies = false, AllowAutoRedirect = false,
    });

    private static async Task<HttpResponseMessage> RefreshAsync(HttpClient client, string sessionId, string proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/page/dbsc/refresh/");
        request.Headers.TryAddWithoutValidation("Sec-Secure-Session-Id", sessionId);
        request.Headers.TryAddWithoutValidation("Secure-Session-Response", proof);
        return await client.SendAsync(request);
    }

    private static string RefreshProof(DpopKey key, string challenge) =>
        key.Sign(new JsonObject { ["alg"] = "ES256", ["typ"] = "dbsc+jwt" }, new JsonObject { ["jti"] = challenge });

    private static string Challenge(HttpResponseMessage response) =>
        SessionChallenge().Match(response.Headers.GetValues("Secure-Session-Challenge").Single()).Groups[1].Value;

    [GeneratedRegex("challenge=\"([A-Za-z0-9_-]+)\"")]
    private static partial Regex RegistrationChallenge();

    [GeneratedRegex("^\"([A-Za-z0-9_-]+)\";id=")]
    private static partial Regex SessionChallenge();
}
