using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Pages;

/// <summary>
/// The pages' Device Bound Session Credentials endpoints over HTTP, with proofs made by hand: what a browser
/// with the key gets, and what everyone else is refused (always a 4xx, never a 5xx, never a cookie).
/// </summary>
public sealed partial class DbscEndpointTests(DbscEndpointTests.ProductionServer server) : IClassFixture<DbscEndpointTests.ProductionServer>
{
    private const string Origin = "https://localhost";
    private const string BoundCookie = "__Host-jwtdevices_page_bound";

    [Fact]
    public async Task Registration_BindsTheDevice_ReplacesTheLongCookie_AndAnswersTheInstructions()
    {
        using var client = Client();
        using var key = new DpopKey();
        var (deviceId, challenge) = await SignInAsync(client, "dbsc_registers");

        using var response = await RegisterAsync(client, Proof(key, challenge));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(deviceId.ToString(), body.GetProperty("session_identifier").GetString());
        Assert.Equal("/page/dbsc/refresh/", body.GetProperty("refresh_url").GetString());
        Assert.True(body.GetProperty("continue").GetBoolean());
        Assert.Equal(Origin, body.GetProperty("scope").GetProperty("origin").GetString());
        Assert.False(body.GetProperty("scope").GetProperty("include_site").GetBoolean());
        Assert.Equal("exclude", body.GetProperty("scope").GetProperty("scope_specification")[0].GetProperty("type").GetString());
        var credential = Assert.Single(body.GetProperty("credentials").EnumerateArray());
        Assert.Equal(BoundCookie, credential.GetProperty("name").GetString());
        Assert.Equal("Path=/; Secure; HttpOnly; SameSite=Strict", credential.GetProperty("attributes").GetString());
        var cookies = SetCookies(response);
        Assert.Contains(cookies, c => c.StartsWith("__Host-jwtdevices_page=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970"));
        var bound = Assert.Single(cookies, c => c.StartsWith(BoundCookie + "=", StringComparison.Ordinal));
        Assert.Contains("max-age=600", bound);
        Assert.Matches(ChallengeHeader(), response.Headers.GetValues("Secure-Session-Challenge").Single());
        var device = await StoredAsync(deviceId);
        Assert.Equal(key.Thumbprint, device.DpopKeyThumbprint);
        Assert.Contains(key.PublicJwk["x"]!.GetValue<string>(), device.DbscPublicKey);
    }

    [Theory]
    [InlineData("forged challenge")]
    [InlineData("alg none")]
    [InlineData("alg HS256")]
    [InlineData("private jwk")]
    [InlineData("typ dpop+jwt")]
    [InlineData("another key signs")]
    [InlineData("no jwk")]
    [InlineData("not a jwt")]
    public async Task Registration_RefusesABadProof_AndLeavesTheDeviceUnbound(string attack)
    {
        using var client = Client();
        using var key = new DpopKey();
        using var other = new DpopKey();
        var (deviceId, challenge) = await SignInAsync(client, "dbsc_refused");
        var proof = attack switch
        {
            "forged challenge" => Proof(key, challenge[..^4] + (challenge[^4..] == "AAAA" ? "BBBB" : "AAAA")),
            "alg none" => $"{HandMadeJwt.Encode(new JsonObject { ["alg"] = "none", ["typ"] = "dbsc+jwt", ["jwk"] = key.PublicJwk })}."
                + $"{HandMadeJwt.Encode(new JsonObject { ["jti"] = challenge })}.",
            "alg HS256" => HandMadeJwt.SignHmac(new JsonObject { ["alg"] = "HS256", ["typ"] = "dbsc+jwt", ["jwk"] = key.PublicJwk },
                new JsonObject { ["jti"] = challenge }, new byte[32], HashAlgorithmName.SHA256),
            "private jwk" => key.Sign(new JsonObject { ["alg"] = "ES256", ["typ"] = "dbsc+jwt", ["jwk"] = key.PrivateJwk }, new JsonObject { ["jti"] = challenge }),
            "typ dpop+jwt" => key.Sign(new JsonObject { ["alg"] = "ES256", ["typ"] = "dpop+jwt", ["jwk"] = key.PublicJwk }, new JsonObject { ["jti"] = challenge }),
            "another key signs" => other.Sign(new JsonObject { ["alg"] = "ES256", ["typ"] = "dbsc+jwt", ["jwk"] = key.PublicJwk }, new JsonObject { ["jti"] = challenge }),
            "no jwk" => key.Sign(new JsonObject { ["alg"] = "ES256", ["typ"] = "dbsc+jwt" }, new JsonObject { ["jti"] = challenge }),
            _ => "not-a-jwt",
        };

        using var response = await RegisterAsync(client, proof);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("invalid_dbsc_proof", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Null((await StoredAsync(deviceId)).DpopKeyThumbprint);
    }

    [Fact]
    public async Task Registration_TakesAChallengeOnce()
    {
        using var client = Client();
        using var key = new DpopKey();
        using var other = new DpopKey();
        var (deviceId, challenge) = await SignInAsync(client, "dbsc_once");
        using var first = await RegisterAsync(client, Proof(key, challenge));

        using var replayed = await RegisterAsync(client, Proof(other, challenge));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertRefusedAsync(replayed, HttpStatusCode.BadRequest);
        Assert.Equal(key.Thumbprint, (await StoredAsync(deviceId)).DpopKeyThumbprint);
    }

    [Fact]
    public async Task Refresh_AsksForAProof_AndAProofOverItsChallenge_RenewsTheCookie()
    {
        using var client = Client();
        using var key = new DpopKey();
        var (deviceId, _) = await RegisteredAsync(client, key, "dbsc_refresh");

        using var asked = await RefreshAsync(client, $"\"{deviceId}\"", proof: null);
        Assert.Equal(HttpStatusCode.Forbidden, asked.StatusCode);
        var challenge = ChallengeOf(asked, deviceId);
        Assert.Empty(SetCookies(asked));

        using var renewed = await RefreshAsync(client, deviceId.ToString(), RefreshProof(key, challenge));

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Single(SetCookies(renewed), c => c.StartsWith(BoundCookie + "=", StringComparison.Ordinal));
        Assert.Equal(deviceId.ToString(), (await renewed.ReadJsonAsync()).GetProperty("session_identifier").GetString());
        // The 200 carries the next challenge, which the browser signs at its next refresh without a 403 first.
        using var next = await RefreshAsync(client, deviceId.ToString(), RefreshProof(key, ChallengeOf(renewed, deviceId)));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task AnRs256Key_RegistersAndRefreshes()
    {
        using var client = Client();
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject { ["kty"] = "RSA", ["n"] = Base64Url.EncodeToString(parameters.Modulus), ["e"] = Base64Url.EncodeToString(parameters.Exponent) };
        var (deviceId, challenge) = await SignInAsync(client, "dbsc_rs256");

        using var registered = await RegisterAsync(client,
            HandMadeJwt.SignRsa(new JsonObject { ["alg"] = "RS256", ["jwk"] = jwk, ["typ"] = "dbsc+jwt" }, new JsonObject { ["jti"] = challenge }, rsa));
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        using var renewed = await RefreshAsync(client, deviceId.ToString(),
            HandMadeJwt.SignRsa(new JsonObject { ["alg"] = "RS256", ["typ"] = "dbsc+jwt" }, new JsonObject { ["jti"] = ChallengeOf(registered, deviceId) }, rsa));

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Single(SetCookies(renewed), c => c.StartsWith(BoundCookie + "=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("replayed challenge")]
    [InlineData("another key")]
    [InlineData("another device's session")]
    [InlineData("another device's challenge")]
    [InlineData("alg none")]
    [InlineData("alg HS256")]
    public async Task Refresh_RefusesAProof_ThatIsNotTheBoundKeysOverAFreshChallenge(string attack)
    {
        using var client = Client();
        using var key = new DpopKey();
        using var otherKey = new DpopKey();
        var (deviceId, challenge) = await RegisteredAsync(client, key, "dbsc_refresh_refused");
        var (otherDevice, otherChallenge) = await RegisteredAsync(client, otherKey, "dbsc_refresh_other");
        var session = deviceId.ToString();
        if (attack == "replayed challenge")
        {
            using var first = await RefreshAsync(client, session, RefreshProof(key, challenge));
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        var proof = attack switch
        {
            "another key" => RefreshProof(otherKey, challenge),
            "another device's challenge" => RefreshProof(key, otherChallenge),
            "alg none" => $"{HandMadeJwt.Encode(new JsonObject { ["alg"] = "none", ["typ"] = "dbsc+jwt" })}.{HandMadeJwt.Encode(new JsonObject { ["jti"] = challenge })}.",
            "alg HS256" => HandMadeJwt.SignHmac(new JsonObject { ["alg"] = "HS256", ["typ"] = "dbsc+jwt" },
                new JsonObject { ["jti"] = challenge }, new byte[32], HashAlgorithmName.SHA256),
            _ => RefreshProof(key, challenge),
        };
        if (attack == "another device's session")
        {
            session = otherDevice.ToString();
        }

        using var response = await RefreshAsync(client, session, proof);

        await AssertRefusedAsync(response, HttpStatusCode.Forbidden);
        Assert.Matches(ChallengeHeader(), response.Headers.GetValues("Secure-Session-Challenge").Single());
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("99999999999999999999999")]
    public async Task Refresh_WithoutAReadableSessionId_IsABadRequest(string sessionId)
    {
        using var client = Client();

        using var response = await RefreshAsync(client, sessionId, proof: null);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Refresh_OfAnEndedDevice_TellsTheBrowserToStop()
    {
        using var client = Client();
        using var key = new DpopKey();
        var (deviceId, challenge) = await RegisteredAsync(client, key, "dbsc_ended", logOut: true);

        using var response = await RefreshAsync(client, deviceId.ToString(), RefreshProof(key, challenge));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.False(body.GetProperty("continue").GetBoolean());
        Assert.Equal(deviceId.ToString(), body.GetProperty("session_identifier").GetString());
        Assert.False(body.TryGetProperty("credentials", out _));
        Assert.Contains(SetCookies(response), c => c.StartsWith(BoundCookie + "=;", StringComparison.Ordinal));
        Assert.Null(await server.WithDatabaseAsync(db => db.Set<Devices.Device>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == deviceId)));
    }

    [Fact]
    public async Task ThePageRefresh_TakesTheBoundCookie_ButNoLongerTheLongCookieFromBeforeRegistration()
    {
        using var client = Client();
        using var key = new DpopKey();
        using var signIn = await PageLoginAsync(client, "dbsc_page");
        var longCookie = Assert.Single(SetCookies(signIn), c => c.StartsWith("__Host-jwtdevices_page=", StringComparison.Ordinal)).Split(';')[0];
        using var registered = await RegisterAsync(client, Proof(key, ChallengeIn(signIn)));
        var boundCookie = Assert.Single(SetCookies(registered), c => c.StartsWith(BoundCookie + "=", StringComparison.Ordinal)).Split(';')[0];

        using var bound = await PageRefreshAsync(client, boundCookie);
        using var stolen = await PageRefreshAsync(client, longCookie);

        Assert.Equal(HttpStatusCode.OK, bound.StatusCode);
        var token = (await bound.ReadJsonAsync()).GetProperty("token").GetString()!;
        // The browser cannot sign DPoP proofs with its DBSC key: its access tokens carry no cnf.
        Assert.Null(HandMadeJwt.Payload(token)["cnf"]);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", token));
        Assert.Equal(HttpStatusCode.NoContent, stolen.StatusCode);
    }

    [Fact]
    public async Task ABoundCookie_PastItsExpiry_OrForged_IsNoSession()
    {
        using var client = Client();
        using var key = new DpopKey();
        using var signIn = await PageLoginAsync(client, "dbsc_expired");
        using var registered = await RegisterAsync(client, Proof(key, ChallengeIn(signIn)));
        var boundCookie = Assert.Single(SetCookies(registered), c => c.StartsWith(BoundCookie + "=", StringComparison.Ordinal)).Split(';')[0];

        using var forged = await PageRefreshAsync(client, boundCookie[..^2] + (boundCookie[^2..] == "AA" ? "BB" : "AA"));
        server.Time.Advance(TimeSpan.FromMinutes(10).Add(TimeSpan.FromSeconds(1)));
        using var expired = await PageRefreshAsync(client, boundCookie);

        Assert.Equal(HttpStatusCode.NoContent, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, expired.StatusCode);
    }

    [Fact]
    public async Task OverPlainHttp_NoBoundSessionIsOffered()
    {
        await server.EnsureUserAsync("dbsc_http");
        using var client = server.CreateClient();

        using var response = await client.PageLoginAsync("dbsc_http");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Secure-Session-Registration"));
    }

    private HttpClient Client() => server.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri(Origin), HandleCookies = false, AllowAutoRedirect = false,
    });

    private async Task<HttpResponseMessage> PageLoginAsync(HttpClient client, string username)
    {
        await server.EnsureUserAsync(username);
        using var request = PageClient.Request("/page/login/", new { username, password = "password123" }, origin: Origin);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private async Task<(long DeviceId, string Challenge)> SignInAsync(HttpClient client, string username)
    {
        using var response = await PageLoginAsync(client, username);
        var header = response.Headers.GetValues("Secure-Session-Registration").Single();
        Assert.StartsWith("(ES256 RS256);path=\"/page/dbsc/register/\";challenge=\"", header);
        return ((await response.ReadJsonAsync()).GetProperty("device_id").GetInt64(), ChallengeIn(response));
    }

    // A registered device and the challenge for its next refresh; or, with logOut, one logged out since.
    private async Task<(long DeviceId, string Challenge)> RegisteredAsync(HttpClient client, DpopKey key, string username, bool logOut = false)
    {
        var (deviceId, challenge) = await SignInAsync(client, username + Guid.NewGuid().ToString("N")[..6]);
        using var response = await RegisterAsync(client, Proof(key, challenge));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (logOut)
        {
            var cookie = SetCookies(response).Single(c => c.StartsWith(BoundCookie + "=", StringComparison.Ordinal)).Split(';')[0];
            using var request = PageClient.Request("/page/session/logout/", origin: Origin);
            request.Headers.Add("Cookie", cookie);
            using var loggedOut = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NoContent, loggedOut.StatusCode);
        }
        return (deviceId, ChallengeOf(response, deviceId));
    }

    private static async Task<HttpResponseMessage> RegisterAsync(HttpClient client, string proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/page/dbsc/register/");
        request.Headers.TryAddWithoutValidation("Secure-Session-Response", proof);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> RefreshAsync(HttpClient client, string sessionId, string? proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/page/dbsc/refresh/");
        request.Headers.TryAddWithoutValidation("Sec-Secure-Session-Id", sessionId);
        if (proof is not null)
        {
            request.Headers.TryAddWithoutValidation("Secure-Session-Response", proof);
        }
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PageRefreshAsync(HttpClient client, string cookie)
    {
        using var request = PageClient.Request("/page/session/refresh/", origin: Origin);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private static string Proof(DpopKey key, string challenge) =>
        key.Sign(new JsonObject { ["alg"] = "ES256", ["jwk"] = key.PublicJwk, ["typ"] = "dbsc+jwt" }, new JsonObject { ["jti"] = challenge });

    // As Chromium signs a refresh: no jwk.
    private static string RefreshProof(DpopKey key, string challenge) =>
        key.Sign(new JsonObject { ["alg"] = "ES256", ["typ"] = "dbsc+jwt" }, new JsonObject { ["jti"] = challenge });

    private static string ChallengeIn(HttpResponseMessage signIn) =>
        RegistrationChallenge().Match(signIn.Headers.GetValues("Secure-Session-Registration").Single()).Groups[1].Value;

    private static string ChallengeOf(HttpResponseMessage response, long deviceId)
    {
        var match = ChallengeHeader().Match(response.Headers.GetValues("Secure-Session-Challenge").Single());
        Assert.True(match.Success);
        Assert.Equal(deviceId.ToString(), match.Groups[2].Value);
        return match.Groups[1].Value;
    }

    private static string[] SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain(SetCookies(response), c => c.StartsWith(BoundCookie + "=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Exception", text);
    }

    private Task<Devices.Device> StoredAsync(long deviceId) =>
        server.WithDatabaseAsync(db => db.Set<Devices.Device>().AsNoTracking().SingleAsync(d => d.Id == deviceId));

    /// <summary>The server outside Development, where the cookies carry their <c>__Host-</c> names; it records the DBSC events.</summary>
    public sealed class ProductionServer : ServerFactory
    {
        public ProductionServer() : base(("environment", "Production"))
        {
            WithServices(services => services.PostConfigure<JwtDevicesOptions>(JwtDevicesDefaults.AuthenticationScheme, options =>
            {
                options.Events.OnDbscRegistered = Record;
                options.Events.OnDbscRefreshed = Record;
                options.Events.OnDbscProofRefused = Record;
            }));
        }

        /// <summary>The DBSC events raised so far, of every test on this server (tell them apart by device).</summary>
        public ConcurrentQueue<JwtDevicesEventContext> DbscEvents { get; } = new();

        private Task Record(JwtDevicesEventContext context)
        {
            Assert.NotNull(context.HttpContext);
            DbscEvents.Enqueue(context);
            return Task.CompletedTask;
        }
    }

    [GeneratedRegex("^\"([A-Za-z0-9_-]+)\";id=\"([0-9]+)\"$")]
    private static partial Regex ChallengeHeader();

    [GeneratedRegex("challenge=\"([A-Za-z0-9_-]+)\"")]
    private static partial Regex RegistrationChallenge();
}
