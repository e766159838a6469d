using JwtDevices.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JwtDevices.Tests.Browser;

/// <summary>
/// Device Bound Session Credentials in a real Chromium (the system's, with the features on and software keys),
/// against the server over HTTPS with a certificate made by the test: sign-in registers a bound session, the
/// short cookie is renewed by proofs, a copied cookie jar dies with it, log-out ends the session, and a browser
/// without the feature keeps today's cookie session.
/// </summary>
[RequiresService(TestServices.Chromium)]
public sealed class DbscInBrowserTests(DbscChromiumFixture chromium) : IClassFixture<DbscChromiumFixture>
{
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task SignIn_RegistersABoundSession_AndTheLongLivedCookieGoes()
    {
        using var server = new HttpsBrowserServer();
        await server.AddUserAsync("bound");
        await using var context = await NewContextAsync(chromium.Browser, server);
        var page = await context.NewPageAsync();
        var events = await DbscEvents.WatchAsync(context, page);

        await SignInAsync(page, "bound");

        // Debian updates Chromium on its own, and DBSC changed between 150 and 156: say which one stopped registering.
        var created = await events.WaitForAsync("creationEventDetails", EventWait);
        Assert.True(created is not null,
            $"Chromium {chromium.Browser.Version} made no successful DBSC session within {EventWait.TotalSeconds} s of the sign-in: "
            + $"the registration (flags, headers or instructions) no longer works with this version. Events: {events.Describe()}");
        var cookie = Assert.Single(await context.CookiesAsync());
        Assert.Equal("__Host-jwtdevices_page_bound", cookie.Name);
        Assert.True(cookie.HttpOnly && cookie.Secure);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        await page.ReloadAsync();
        await Expect(SignedIn(page)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task TheShortCookie_Expires_AndIsRenewedByAProof_WithThePageWorkingThroughout()
    {
        using var server = new HttpsBrowserServer(("Pages:Dbsc:CookieLifetime", "00:00:03"));
        await server.AddUserAsync("renewed");
        await using var context = await NewContextAsync(chromium.Browser, server);
        var page = await context.NewPageAsync();
        var events = await DbscEvents.WatchAsync(context, page);
        await SignInAsync(page, "renewed");
        Assert.NotNull(await events.WaitForAsync("creationEventDetails", EventWait));

        for (var round = 0; round < 2; round++)
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            await page.ReloadAsync();
            await Expect(SignedIn(page)).ToBeVisibleAsync();
        }

        Assert.True(await events.WaitForAsync("refreshEventDetails", EventWait, after: 1) is not null,
            $"Expected two successful refreshes. Events: {events.Describe()}");
        Assert.Equal("__Host-jwtdevices_page_bound", Assert.Single(await context.CookiesAsync()).Name);
    }

    [Fact]
    public async Task ACopiedCookieJar_WithoutTheKey_StopsWorkingOnceTheShortCookieExpires()
    {
        using var server = new HttpsBrowserServer(("Pages:Dbsc:CookieLifetime", "00:00:03"));
        await server.AddUserAsync("victim");
        await using var victim = await NewContextAsync(chromium.Browser, server);
        var page = await victim.NewPageAsync();
        var events = await DbscEvents.WatchAsync(victim, page);
        await SignInAsync(page, "victim");
        Assert.NotNull(await events.WaitForAsync("creationEventDetails", EventWait));

        // The thief copies the whole jar and even makes the copies outlive their Max-Age.
        var jar = await victim.CookiesAsync();
        await using var thief = await NewContextAsync(chromium.PlainBrowser, server);
        await thief.AddCookiesAsync(jar.Select(cookie => new Cookie
        {
            Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path, Secure = cookie.Secure,
            HttpOnly = cookie.HttpOnly, SameSite = cookie.SameSite, Expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        }));
        var stolen = await thief.NewPageAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await stolen.GotoAsync("/");

        await Expect(stolen.GetByLabel("Username")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(SignedIn(page)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task LogOut_EndsTheBoundSession()
    {
        using var server = new HttpsBrowserServer();
        await server.AddUserAsync("leaving");
        await using var context = await NewContextAsync(chromium.Browser, server);
        var page = await context.NewPageAsync();
        var events = await DbscEvents.WatchAsync(context, page);
        await SignInAsync(page, "leaving");
        Assert.NotNull(await events.WaitForAsync("creationEventDetails", EventWait));

        await page.Locator("tbody tr").Filter(new() { HasText = "This device" }).GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByLabel("Username")).ToBeVisibleAsync();
        await page.ReloadAsync();

        await Expect(page.GetByLabel("Username")).ToBeVisibleAsync();
        Assert.True(await events.WaitForAsync("terminationEventDetails", EventWait) is not null,
            $"Expected the session to end at its next refresh. Events: {events.Describe()}");
        Assert.Empty(await context.CookiesAsync());
    }

    [Fact]
    public async Task ABrowserWithoutDbsc_KeepsTodaysCookieSession()
    {
        using var server = new HttpsBrowserServer();
        await server.AddUserAsync("plain");
        await using var context = await NewContextAsync(chromium.PlainBrowser, server);
        var page = await context.NewPageAsync();

        await SignInAsync(page, "plain");
        await page.ReloadAsync();

        await Expect(SignedIn(page)).ToBeVisibleAsync();
        Assert.Equal("__Host-jwtdevices_page", Assert.Single(await context.CookiesAsync()).Name);
    }

    private static Task<IBrowserContext> NewContextAsync(IBrowser browser, HttpsBrowserServer server) =>
        browser.NewContextAsync(new() { BaseURL = server.BaseUrl.ToString() });

    private static ILocator SignedIn(IPage page) => page.GetByRole(AriaRole.Heading, new() { Name = "Where you are signed in" });

    private static async Task SignInAsync(IPage page, string username)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync("password123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(SignedIn(page)).ToBeVisibleAsync();
    }
}
