using JwtDevices.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace JwtDevices.Tests.Browser;

/// <summary>
/// Both pages at a desktop's width (1280 px), filled with devices of real user agents, in the light and the
/// dark color scheme: WCAG AA (contrast included, by axe-core), no word broken inside a button or an
/// e-mail, nothing in the console, and device details and times written as people read them.
/// </summary>
[RequiresService(TestServices.Chromium)]
public sealed class PagesAtDesktopWidthInBrowserTests(BrowserServer server, ChromiumFixture chromium, ITestOutputHelper output)
    : IClassFixture<BrowserServer>, IClassFixture<ChromiumFixture>
{
    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task BothPages_MeetWcagAa_KeepWordsWhole_AndLogNoError(string scheme)
    {
        var admin = $"ada_{scheme}";
        await server.AddUserAsync(admin, email: $"ada.lovelace.{scheme}@analytical-engine.example");
        await server.MakeAdminAsync(admin);
        await server.AddUserAsync($"grace_{scheme}", email: $"grace.brewster.murray.hopper.{scheme}@navy-computing.example");
        using var api = server.CreateApiClient();
        await api.LoginAsync(admin, deviceModel: "Ada's iPhone", userAgent: UserAgents.SafariOnIPhone);
        await api.LoginAsync(admin, deviceModel: null, userAgent: UserAgents.FirefoxOnWindows);
        await api.LoginAsync(admin, deviceModel: "Pixel 8", userAgent: UserAgents.AndroidApp);
        await api.LoginAsync($"grace_{scheme}", deviceModel: "Work laptop", userAgent: UserAgents.EdgeOnWindows);
        await api.LoginAsync($"grace_{scheme}", deviceModel: "Grace's iPhone", userAgent: UserAgents.IosApp);
        await api.LoginAsync($"grace_{scheme}", deviceModel: null, userAgent: UserAgents.Curl);
        // An API client's device bound to its DPoP key, so that both pages show (and axe checks) the note.
        using var key = new DpopKey();
        using var boundLogin = await api.PostDpopLoginAsync(server, admin, key,
            key.Proof("POST", new Uri(server.BaseUrl, "auth-token/").ToString(), server.Time.GetUtcNow()),
            deviceModel: "Ada's iPad", userAgent: UserAgents.IosApp);
        boundLogin.EnsureSuccessStatusCode();
        var boundId = (await boundLogin.ReadJsonAsync()).GetProperty("device_id").GetInt64();
        await using var context = await chromium.Browser.NewContextAsync(DesktopContext(scheme));
        var page = await context.NewPageAsync();
        var problems = PageProblems.Watch(page);

        await page.GotoAsync("/");
        await Expect(page.GetByLabel("Username")).ToBeFocusedAsync();
        await Accessibility.AssertWcagAaAsync(page, $"The sign-in form ({scheme})");

        await PagesInBrowserTests.SignInAsync(page, admin);
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(5);
        await Expect(page.Locator($"tbody tr[data-device-id='{boundId}']")).ToContainTextAsync("Bound to a DPoP key");
        await Expect(page.GetByText("Bound to a DPoP key")).ToHaveCountAsync(1);
        await Accessibility.AssertWcagAaAsync(page, $"The devices page ({scheme})");
        await AssertOnOneLineAsync(page, "button");
        await SaveAsync(page, $"devices-page-{scheme}");

        await page.GetByRole(AriaRole.Link, new() { Name = "Administration" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "All devices" })).ToBeVisibleAsync();
        await Expect(page.Locator("tbody tr").First).ToBeVisibleAsync();
        await Accessibility.AssertWcagAaAsync(page, $"The admin page ({scheme})");
        await AssertOnOneLineAsync(page, "button, .email");
        await SaveAsync(page, $"admin-page-{scheme}");

        problems.AssertNone();
    }

    [Fact]
    public async Task SignedOut_NeitherPageLogsAnError_NorShowsTheAdministrationLink()
    {
        await using var context = await chromium.Browser.NewContextAsync(DesktopContext("light"));
        var page = await context.NewPageAsync();
        var problems = PageProblems.Watch(page);

        await page.GotoAsync("/");
        await Expect(page.GetByLabel("Username")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Administration" })).ToBeHiddenAsync();
        await page.GotoAsync("/admin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in first" })).ToBeVisibleAsync();
        await Accessibility.AssertWcagAaAsync(page, "The admin page, signed out");

        problems.AssertNone();
    }

    [Fact]
    public async Task NonAdmin_SeesNoAdministrationLink_AndTheAdminPageRefusesWithoutAnError()
    {
        await server.AddUserAsync("plain_user");
        await using var context = await chromium.Browser.NewContextAsync(DesktopContext("light"));
        var page = await context.NewPageAsync();
        var problems = PageProblems.Watch(page);
        await PagesInBrowserTests.SignInAsync(page, "plain_user");

        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Administration" })).ToBeHiddenAsync();
        await page.GotoAsync("/admin/devices/");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You may not view this page" })).ToBeVisibleAsync();
        problems.AssertNone();
    }

    [Fact]
    public async Task DeviceDetails_ReadAsPeopleSayThem_WithTheRawAgentAndTheExactTimeOnHover()
    {
        await server.AddUserAsync("hover");
        using var api = server.CreateApiClient();
        await api.LoginAsync("hover", deviceModel: "Home PC", userAgent: UserAgents.FirefoxOnWindows);
        await api.LoginAsync("hover", deviceModel: null, userAgent: UserAgents.OkHttp);
        await using var context = await chromium.Browser.NewContextAsync(DesktopContext("light"));
        var page = await context.NewPageAsync();
        await PagesInBrowserTests.SignInAsync(page, "hover");

        var rows = page.Locator("tbody tr");
        var firefox = rows.Filter(new() { HasText = "Home PC" });
        var details = firefox.Locator("td[data-label=Details] span");
        await Expect(details).ToHaveTextAsync("Firefox 128 on Windows");
        await Expect(details).ToHaveAttributeAsync("title", UserAgents.FirefoxOnWindows);
        // Named after its agent (no X-Device-Model), as the seed does: the name is written as people say it too.
        await Expect(rows.Locator(".device-name", new() { HasText = "OkHttp 4.12.0" })).ToHaveAttributeAsync("title", UserAgents.OkHttp);
        await Expect(rows.Filter(new() { HasText = "This device" }).Locator("td[data-label=Details] span")).ToHaveTextAsync("Chrome 156 on Linux");
        var lastSeen = firefox.Locator("td[data-label='Last seen'] time");
        await Expect(lastSeen).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(now|\\d+ (seconds|minutes?) ago|\\d+ (hours?) ago)$"));
        await Expect(lastSeen).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("\\d{4}, \\d{1,2}:\\d{2}:\\d{2}"));
        await Expect(lastSeen).ToHaveAttributeAsync("datetime", new System.Text.RegularExpressions.Regex("^\\d{4}-\\d{2}-\\d{2}T"));
        Assert.Equal(0, await page.GetByText(UserAgents.FirefoxOnWindows).CountAsync());
    }

    private BrowserNewContextOptions DesktopContext(string scheme) => new()
    {
        BaseURL = server.BaseUrl.ToString(),
        ViewportSize = new() { Width = 1280, Height = 800 },
        UserAgent = UserAgents.ChromeOnLinux,
        Locale = "en-US",
        ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
    };

    // A text laid out on more than one line has line boxes at more than one height.
    private static async Task AssertOnOneLineAsync(IPage page, string selector)
    {
        var broken = await page.EvaluateAsync<string[]>(
            """
            selector => [...document.querySelectorAll(selector)]
              .filter(element => element.getClientRects().length > 0)
              .filter(element => {
                const range = document.createRange();
                range.selectNodeContents(element);
                return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size > 1;
              })
              .map(element => element.textContent)
            """,
            selector);
        Assert.True(broken.Length == 0, $"Broken over lines: {string.Join(", ", broken)}");
    }

    private async Task SaveAsync(IPage page, string name) =>
        output.WriteLine($"Screenshot: {await ChromiumFixture.ScreenshotAsync(page, name)}");
}
