using JwtDevices.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JwtDevices.Tests.Browser;

/// <summary>
/// The server outside Development, opened as a person trying it out would, at <c>http://127.0.0.1:PORT</c>:
/// Chromium takes the <c>__Host-</c> cookie, which is always Secure, from a loopback address over plain
/// HTTP, so the page stays signed in across a reload.
/// </summary>
[RequiresService(TestServices.Chromium)]
public sealed class PageCookieInBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private readonly BrowserServer _server = new(("environment", "Production"));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task OutsideDevelopment_OnLoopbackOverPlainHttp_TheHostCookieKeepsThePageSignedInAcrossAReload()
    {
        await _server.AddUserAsync("prod_browser");
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = _server.BaseUrl.ToString() });
        var page = await context.NewPageAsync();
        var signedIn = page.GetByRole(AriaRole.Heading, new() { Name = "Where you are signed in" });

        await page.GotoAsync("/");
        await page.GetByLabel("Username").FillAsync("prod_browser");
        await page.GetByLabel("Password").FillAsync("password123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(signedIn).ToBeVisibleAsync();
        await page.ReloadAsync();

        await Expect(signedIn).ToBeVisibleAsync();
        var cookie = Assert.Single(await context.CookiesAsync());
        Assert.Equal("__Host-jwtdevices_page", cookie.Name);
        Assert.True(cookie.Secure);
        Assert.Equal("/", cookie.Path);
    }
}
