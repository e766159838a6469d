using System.Net;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Pages;

/// <summary>The page's sign-in, refresh and sign-out: the permanent token only in a guarded cookie, and no cross-site request.</summary>
public abstract class PageSessionTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Fact]
    public async Task Login_AnswersAJwtOnly_AndKeepsThePermanentTokenInAStrictHttpOnlyCookie()
    {
        await server.AddUserAsync("page_login");
        var client = server.CreateClient();

        using var response = await client.PageLoginAsync("page_login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(["device_id", "expires_in", "is_admin", "token", "username"], body.Keys());
        Assert.False(body.GetProperty("is_admin").GetBoolean());
        Assert.Equal(300, body.GetProperty("expires_in").GetInt32());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("jwtdevices_page=", cookie, StringComparison.Ordinal);
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToArray();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain("secure", attributes); // plain HTTP in Development; over HTTPS, and outside Development, it is Secure
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", body.GetProperty("token").GetString()));
    }

    [Fact]
    public async Task Login_OverHttps_SetsASecureCookie()
    {
        await server.AddUserAsync("page_https");
        var client = server.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        using var request = PageClient.Request("/page/login/", new { username = "page_https", password = "password123" }, origin: "https://localhost");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("secure", Assert.Single(response.Headers.GetValues("Set-Cookie")).ToLowerInvariant().Split("; "));
    }

    [Fact]
    public async Task Login_NamesTheDeviceAfterTheBrowser()
    {
        await server.AddUserAsync("page_named");
        var client = server.CreateClient();
        using var login = await client.PageLoginAsync("page_named");
        var token = (await login.ReadJsonAsync()).GetProperty("token").GetString();

        using var current = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/current/", token);

        var device = await current.ReadJsonAsync();
        Assert.Equal("Chrome on Linux", device.GetProperty("name").GetString());
        Assert.Equal(PageClient.ChromeUserAgent, device.GetProperty("details").GetString());
    }

    [Fact]
    public async Task Login_WithBadCredentials_Is400WithTheSeedsCode_AndNoCookie()
    {
        await server.AddUserAsync("page_bad_password");

        using var response = await server.CreateClient().PageLoginAsync("page_bad_password", "wrong-password");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_credentials", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    public static TheoryData<string?, bool, string?> CrossSiteRequests => new()
    {
        { "https://attacker.example", true, null },        // another site's script
        { null, true, null },                              // no Origin
        { "http://localhost", false, null },               // a plain form: no page header
        { "http://localhost", true, "cross-site" },        // the browser says it is cross-site
        { "null", true, null },                            // a sandboxed frame
    };

    [Theory]
    [MemberData(nameof(CrossSiteRequests))]
    public async Task Login_FromAnotherSite_Is403AndCreatesNoDevice(string? origin, bool pageHeader, string? fetchSite)
    {
        var user = $"page_csrf_{Guid.NewGuid():N}"[..20];
        await server.AddUserAsync(user);
        var client = server.CreateClient();
        var before = await server.CountDevicesAsync();
        using var request = PageClient.Request("/page/login/", new { username = user, password = "password123" }, origin, pageHeader);
        if (fetchSite is not null)
        {
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", fetchSite);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("cross_site_request", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(before, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task Refresh_WithTheCookie_AnswersANewJwtForTheSameDevice()
    {
        await server.AddUserAsync("page_refresh");
        var client = server.CreateClient();
        using var login = await client.PageLoginAsync("page_refresh");
        var deviceId = (await login.ReadJsonAsync()).GetProperty("device_id").GetInt64();
        server.Time.Advance(TimeSpan.FromMinutes(4));

        using var request = PageClient.Request("/page/session/refresh/");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(deviceId, body.GetProperty("device_id").GetInt64());
        Assert.Equal("page_refresh", body.GetProperty("username").GetString());
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", body.GetProperty("token").GetString()));
    }

    [Fact]
    public async Task Refresh_WithoutTheCookie_Is204_ForThePageToShowItsSignIn_WithoutAnErrorInTheConsole()
    {
        using var request = PageClient.Request("/page/session/refresh/");
        using var response = await server.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Refresh_TellsWhetherTheUserIsAnAdministrator_AsTheRoleIsNow()
    {
        await server.AddUserAsync("page_admin");
        var client = server.CreateClient();
        using var login = await client.PageLoginAsync("page_admin");
        Assert.False((await login.ReadJsonAsync()).GetProperty("is_admin").GetBoolean());

        await server.MakeAdminAsync("page_admin");
        using var request = PageClient.Request("/page/session/refresh/");
        using var refreshed = await client.SendAsync(request);

        Assert.True((await refreshed.ReadJsonAsync()).GetProperty("is_admin").GetBoolean());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refresh_WithTheCookieSentTwice_RenewsNeither_WhicheverComesLast(bool plantedLast)
    {
        // A sibling subdomain (or a plain-HTTP answer) can plant a second cookie of the same name: the
        // server cannot tell which is its own, so it takes neither.
        var (victimName, attackerName) = ($"page_twice_victim_{plantedLast}", $"page_twice_attacker_{plantedLast}");
        await server.AddUserAsync(victimName);
        await server.AddUserAsync(attackerName);
        var api = server.CreateClient();
        var victim = await api.LoginAsync(victimName);
        var attacker = await api.LoginAsync(attackerName);
        var (first, second) = plantedLast ? (victim, attacker) : (attacker, victim);
        var client = server.CreateClient(new() { HandleCookies = false });
        using var request = PageClient.Request("/page/session/refresh/");
        request.Headers.TryAddWithoutValidation("Cookie", $"jwtdevices_page={first.PermanentToken}; jwtdevices_page={second.PermanentToken}");

        using var response = await client.SendAsync(request);

        // Treated as signed out: 204 with no token, the page's ordinary signed-out answer.
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Refresh_AndLogout_FromAnotherSite_Are403_AndTheSessionLives()
    {
        await server.AddUserAsync("page_csrf_session");
        var client = server.CreateClient();
        using var login = await client.PageLoginAsync("page_csrf_session");
        var token = (await login.ReadJsonAsync()).GetProperty("token").GetString();

        using var refresh = PageClient.Request("/page/session/refresh/", origin: "https://attacker.example");
        using var refreshed = await client.SendAsync(refresh);
        using var logout = PageClient.Request("/page/session/logout/", pageHeader: false);
        using var loggedOut = await client.SendAsync(logout);

        Assert.Equal(HttpStatusCode.Forbidden, refreshed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, loggedOut.StatusCode);
        Assert.False(loggedOut.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", token));
        using var again = PageClient.Request("/page/session/refresh/");
        using var stillSignedIn = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
    }

    [Fact]
    public async Task Logout_EndsThePagesDevice_AndDeletesTheCookie()
    {
        await server.AddUserAsync("page_logout");
        var client = server.CreateClient();
        using var login = await client.PageLoginAsync("page_logout");
        var token = (await login.ReadJsonAsync()).GetProperty("token").GetString();

        using var request = PageClient.Request("/page/session/logout/");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("expires=thu, 01 jan 1970", Assert.Single(response.Headers.GetValues("Set-Cookie")).ToLowerInvariant());
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", token));
        using var refresh = PageClient.Request("/page/session/refresh/");
        using var refreshed = await client.SendAsync(refresh);
        Assert.Equal(HttpStatusCode.NoContent, refreshed.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/admin/devices")]
    [InlineData("/js/session.js")]
    public async Task Pages_CarryAContentSecurityPolicyWithoutInlineCode(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", PageClient.BrowserAccept);
        using var response = await server.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task ApiAnswers_KeepTheSeedsHeaders_WithoutThePagesPolicy()
    {
        await server.AddUserAsync("page_api_headers");
        var client = server.CreateClient();
        var login = await client.LoginAsync("page_api_headers");

        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }
}

public sealed class PageSessionOnSqlite(SqliteServer server) : PageSessionTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class PageSessionOnPostgres(PostgresServer server) : PageSessionTests<PostgresServer>(server);
