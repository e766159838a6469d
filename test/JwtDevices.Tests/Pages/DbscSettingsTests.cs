using System.Net;
using System.Text.Json.Nodes;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace JwtDevices.Tests.Pages;

/// <summary>The settings of <c>Pages:Dbsc</c>: what <c>Require</c> does over HTTP, and the start-up refusal of bad values.</summary>
public sealed class DbscSettingsTests
{
    private const string Origin = "https://localhost";
    private const string LongCookie = "__Host-jwtdevices_page";
    private const string BoundCookie = "__Host-jwtdevices_page_bound";

    [Fact]
    public async Task Require_SignInSetsNoLongCookie_ButOffersABoundSession_WhichKeepsThePageSignedIn()
    {
        using var server = new DbscEndpointTests.ProductionServer().WithSettings(("Pages:Dbsc:Require", "true"));
        using var client = Client(server);
        using var key = new DpopKey();
        await server.EnsureUserAsync("dbsc_require");

        var (signInCookies, registered) = await SignInAndRegisterAsync(client, key, "dbsc_require");
        using var registeredAnswer = registered;

        Assert.DoesNotContain(signInCookies, c => c.StartsWith(LongCookie + "=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var bound = Assert.Single(SetCookies(registered), c => c.StartsWith(BoundCookie + "=", StringComparison.Ordinal)).Split(';')[0];
        using var refreshed = await PageRefreshAsync(client, bound);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task ADeviceLifetimeShorterThanTheCookies_StartsTheServer_AndTheBoundCookieLivesNoLonger()
    {
        using var server = new DbscEndpointTests.ProductionServer().WithSettings(("JwtDevices:PermanentTokenLifetime", "00:02:00"));
        using var client = Client(server);
        using var key = new DpopKey();
        await server.EnsureUserAsync("dbsc_short_device");

        var (signInCookies, registered) = await SignInAndRegisterAsync(client, key, "dbsc_short_device");
        using var registeredAnswer = registered;

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var bound = Assert.Single(SetCookies(registered), c => c.StartsWith(BoundCookie + "=", StringComparison.Ordinal));
        Assert.Contains("max-age=120", bound, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Require_RefusesALongCookie_ThatAPageSignInSetBefore(bool require)
    {
        using var server = new DbscEndpointTests.ProductionServer().WithSettings(("Pages:Dbsc:Require", require ? "true" : "false"));
        using var client = Client(server);
        await server.EnsureUserAsync("dbsc_require_old");
        // A permanent token, as the long cookie of a sign-in made before Require was turned on carries it.
        var login = await server.CreateClient().LoginAsync("dbsc_require_old");

        using var response = await PageRefreshAsync(client, $"{LongCookie}={Uri.EscapeDataString(login.PermanentToken!)}");

        if (require)
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Contains(SetCookies(response), c => c.StartsWith(LongCookie + "=;", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("--Pages:Dbsc:CookieLifetime=00:00:00",
        "error: Pages:Dbsc:CookieLifetime must be at least 1 second; it is 00:00:00.")]
    [InlineData("--Pages:Dbsc:CookieLifetime=-00:00:01",
        "error: Pages:Dbsc:CookieLifetime must be at least 1 second; it is -00:00:01.")]
    [InlineData("--Pages:Dbsc:Enabled=false", "error: Pages:Dbsc:Require needs Pages:Dbsc:Enabled.", "--Pages:Dbsc:Require=true")]
    [InlineData("--Pages:Dbsc:Require=yes", "error: Pages:Dbsc:Require is 'yes', which is not true or false")]
    [InlineData("--Pages:Dbsc:CookieLifetime=10m", "error: Pages:Dbsc:CookieLifetime is '10m', which is not a time: write [days.]hours:minutes:seconds")]
    public async Task ABadSetting_StopsStartUp_WithOneLineNamingIt(string setting, string expected, string? also = null)
    {
        string[] args = also is null ? [setting, "--urls=http://127.0.0.1:0"] : [setting, also, "--urls=http://127.0.0.1:0"];

        var result = await ServerProcess.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", result.Output, StringComparison.Ordinal);
    }

    private static HttpClient Client(ServerFactory server) => server.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri(Origin), HandleCookies = false, AllowAutoRedirect = false,
    });

    // A page sign-in over HTTPS, then registration of the bound session it offers, with a proof by the key.
    private static async Task<(string[] SignInCookies, HttpResponseMessage Registered)> SignInAndRegisterAsync(HttpClient client, DpopKey key, string user)
    {
        using var signIn = await client.SendAsync(PageClient.Request("/page/login/", new { username = user, password = "password123" }, origin: Origin));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var challenge = System.Text.RegularExpressions.Regex.Match(
            signIn.Headers.GetValues("Secure-Session-Registration").Single(), "challenge=\"([A-Za-z0-9_-]+)\"").Groups[1].Value;
        using var register = new HttpRequestMessage(HttpMethod.Post, "/page/dbsc/register/");
        register.Headers.TryAddWithoutValidation("Secure-Session-Response",
            key.Sign(new JsonObject { ["alg"] = "ES256", ["jwk"] = key.PublicJwk, ["typ"] = "dbsc+jwt" }, new JsonObject { ["jti"] = challenge }));
        return (SetCookies(signIn), await client.SendAsync(register));
    }

    private static async Task<HttpResponseMessage> PageRefreshAsync(HttpClient client, string cookie)
    {
        using var request = PageClient.Request("/page/session/refresh/", origin: Origin);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private static string[] SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];
}
