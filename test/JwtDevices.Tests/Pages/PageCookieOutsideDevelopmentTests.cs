using System.Net;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Pages;

/// <summary>
/// Outside Development the page's cookie is <c>__Host-jwtdevices_page</c>, always Secure (behind a TLS proxy
/// the request may arrive as plain HTTP), on <c>/</c> with no Domain: no sibling subdomain and no plain-HTTP
/// answer can set one, and a cookie of another name is not read.
/// </summary>
public sealed class PageCookieOutsideDevelopmentTests : IDisposable
{
    private readonly ServerFactory _server = new(("environment", "Production"));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Login_OverPlainHttp_SetsAHostPrefixedSecureCookie()
    {
        await _server.AddUserAsync("prod_cookie");

        using var response = await _server.CreateClient().PageLoginAsync("prod_cookie");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("__Host-jwtdevices_page=", cookie, StringComparison.Ordinal);
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToArray();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheHostCookie_Refreshes_AndLogoutDeletesIt()
    {
        await _server.AddUserAsync("prod_session");
        var client = _server.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        using var login = await SendAsync(client, "/page/login/", new { username = "prod_session", password = "password123" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        using var refresh = await SendAsync(client, "/page/session/refresh/");
        using var logout = await SendAsync(client, "/page/session/logout/");
        using var afterwards = await SendAsync(client, "/page/session/refresh/");

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.StartsWith("__Host-jwtdevices_page=;", Assert.Single(logout.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        // Signed out: nothing to renew, and no token.
        Assert.Equal(HttpStatusCode.NoContent, afterwards.StatusCode);
        Assert.Empty(await afterwards.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("jwtdevices_page={0}")]                                    // no prefix: anyone on the domain could have set it
    [InlineData("__Host-jwtdevices_page={0}; __Host-jwtdevices_page={1}")] // twice: one of them is not the server's
    public async Task Refresh_WithAnyOtherCookie_RenewsNothing(string cookie)
    {
        await _server.AddUserAsync("prod_planted");
        var api = _server.CreateClient();
        var device = await api.LoginAsync("prod_planted");
        var other = await api.LoginAsync("prod_planted");
        var client = _server.CreateClient(new() { HandleCookies = false });
        using var request = PageClient.Request("/page/session/refresh/");
        request.Headers.TryAddWithoutValidation("Cookie", string.Format(System.Globalization.CultureInfo.InvariantCulture, cookie, device.PermanentToken, other.PermanentToken));

        using var response = await client.SendAsync(request);

        // Treated as signed out: 204 with no token (the page's ordinary signed-out answer).
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, object? body = null)
    {
        using var request = PageClient.Request(path, body, origin: "https://localhost");
        return await client.SendAsync(request);
    }
}
