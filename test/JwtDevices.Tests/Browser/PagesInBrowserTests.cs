using System.Net;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace JwtDevices.Tests.Browser;

/// <summary>
/// The devices page and the admin page in headless Chromium, against the real server on a loopback port:
/// what a person sees and does, by the labels they read.
/// </summary>
[RequiresService(TestServices.Chromium)]
public sealed class PagesInBrowserTests(BrowserServer server, ChromiumFixture chromium, ITestOutputHelper output)
    : IClassFixture<BrowserServer>, IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task User_SignsIn_RenamesTheDevice_SignsOutAnother_ThenAllOthers()
    {
        await server.AddUserAsync("alice");
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl.ToString() });
        var page = await context.NewPageAsync();
        var problems = PageProblems.Watch(page);

        await SignInAsync(page, "alice");

        var rows = page.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        var current = rows.Filter(new() { HasText = "This device" });
        await Expect(current).ToContainTextAsync("on Linux");
        // The permanent token lives in an HttpOnly cookie: the page's scripts see no cookie at all.
        Assert.Equal("", await page.EvaluateAsync<string>("document.cookie"));
        await SaveAsync(page, "devices");

        await current.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        await current.GetByLabel("Device name").FillAsync("Alice's laptop");
        await current.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(rows.Filter(new() { HasText = "This device" })).ToContainTextAsync("Alice's laptop");

        using var api = server.CreateApiClient();
        var phone = await api.LoginAsync("alice", deviceModel: "Alice's phone");
        await page.ReloadAsync();
        await Expect(rows).ToHaveCountAsync(2);
        var phoneRow = rows.Filter(new() { HasText = "Alice's phone" });
        await phoneRow.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        Assert.Equal(HttpStatusCode.Unauthorized, await api.StatusOfAsync(HttpMethod.Get, "/me", phone.Token));

        var tablet = await api.LoginAsync("alice", deviceModel: "Tablet");
        var desktop = await api.LoginAsync("alice", deviceModel: "Desktop");
        await page.ReloadAsync();
        await Expect(rows).ToHaveCountAsync(3);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out all other devices" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("All other devices are signed out.");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("This device");
        Assert.Equal(HttpStatusCode.Unauthorized, await api.StatusOfAsync(HttpMethod.Get, "/me", tablet.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await api.StatusOfAsync(HttpMethod.Get, "/me", desktop.Token));

        await rows.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByLabel("Username")).ToBeVisibleAsync();
        Assert.Equal(0, await DevicesOfAsync("alice"));
        problems.AssertNone();
    }

    [Fact]
    public async Task Page_RenewsItsJwtBeforeItExpires()
    {
        await server.AddUserAsync("renewer");
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl.ToString() });
        var page = await context.NewPageAsync();
        var problems = PageProblems.Watch(page);
        await SignInAsync(page, "renewer");

        // JWTs live three seconds here; the page renews at four fifths of that, without being asked.
        var renewal = await page.WaitForResponseAsync(r => r.Url.EndsWith("/page/session/refresh/", StringComparison.Ordinal),
            new() { Timeout = 10_000 });

        Assert.Equal(200, renewal.Status);
        var renewed = await renewal.JsonAsync();
        Assert.False(renewed!.Value.TryGetProperty("permanent_token", out _));
        problems.AssertNone();
    }

    [Fact]
    public async Task SignIn_ShowsReadableMessages_ForBadCredentials_RateLimits_AndOutages()
    {
        await server.AddUserAsync("messages");
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        var alert = page.GetByRole(AriaRole.Alert);

        await SubmitAsync(page, "messages", "wrong-password");
        await Expect(alert).ToHaveTextAsync("The username or password is wrong.");
        await SaveAsync(page, "sign-in-error");

        await page.RouteAsync("**/page/login/", route => route.FulfillAsync(new()
        {
            Status = 429,
            Headers = new Dictionary<string, string> { ["Retry-After"] = "30" },
            ContentType = "application/problem+json",
            Body = """{"status":429,"title":"Too Many Requests"}""",
        }));
        await SubmitAsync(page, "messages", "password123");
        await Expect(alert).ToHaveTextAsync("Too many attempts. Wait 30 seconds and try again.");

        await page.UnrouteAllAsync();
        await page.RouteAsync("**/page/login/", route => route.FulfillAsync(new()
        {
            Status = 503,
            ContentType = "application/problem+json",
            Body = """{"status":503,"code":"service_unavailable"}""",
        }));
        await SubmitAsync(page, "messages", "password123");
        await Expect(alert).ToHaveTextAsync("The service is unavailable right now. Try again in a moment.");
    }

    [Fact]
    public async Task AtPhoneWidth_WithTheKeyboardAlone_AUserSignsInAndRenames()
    {
        await server.AddUserAsync("keyboard");
        await using var context = await chromium.Browser.NewContextAsync(new()
        {
            BaseURL = server.BaseUrl.ToString(),
            ViewportSize = new() { Width = 375, Height = 740 },
            IsMobile = true,
            HasTouch = true,
        });
        var page = await context.NewPageAsync();
        var problems = PageProblems.Watch(page);
        await page.GotoAsync("/");
        await Expect(page.GetByLabel("Username")).ToBeFocusedAsync();

        await page.Keyboard.TypeAsync("keyboard");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("password123");
        await page.Keyboard.PressAsync("Enter");
        var row = page.Locator("tbody tr").Filter(new() { HasText = "This device" });
        await Expect(row).ToBeVisibleAsync();
        // Nothing sticks out sideways at a phone's width.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));

        await row.GetByRole(AriaRole.Button, new() { Name = "Rename" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(row.GetByLabel("Device name")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Pocket");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("tbody tr").Filter(new() { HasText = "This device" })).ToContainTextAsync("Pocket");
        await SaveAsync(page, "devices-phone");
        problems.AssertNone();
    }

    [Fact]
    public async Task Admin_SearchesAndRevokes()
    {
        await server.AddUserAsync("root");
        await server.MakeAdminAsync("root");
        await server.AddUserAsync("bob", email: "bob@example.com");
        await server.AddUserAsync("carol", email: "carol@example.com");
        using var api = server.CreateApiClient();
        var bob = await api.LoginAsync("bob", deviceModel: "Bob's phone", userAgent: "BobAgent/1.0");
        var carol = await api.LoginAsync("carol", deviceModel: "Carol's tablet");
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl.ToString() });
        var page = await context.NewPageAsync();
        var problems = PageProblems.Watch(page);
        await SignInAsync(page, "root");

        await page.GotoAsync("/admin/devices");
        await page.GetByLabel("Search").FillAsync("BOB@EXAMPLE");
        await page.GetByLabel("Search").PressAsync("Enter");
        var rows = page.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("Bob's phone");
        await Expect(rows).ToContainTextAsync("bob@example.com");
        await SaveAsync(page, "admin-devices");

        await rows.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, await api.StatusOfAsync(HttpMethod.Get, "/me", bob.Token));
        Assert.Equal(HttpStatusCode.OK, await api.StatusOfAsync(HttpMethod.Get, "/me", carol.Token));
        problems.AssertNone();
    }

    [Fact]
    public async Task NonAdmin_IsRefusedTheAdminPage()
    {
        await server.AddUserAsync("dave");
        using var api = server.CreateApiClient();
        var daves = await api.LoginAsync("dave", deviceModel: "Dave's phone");
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl.ToString() });
        var page = await context.NewPageAsync();
        await SignInAsync(page, "dave");

        await page.GotoAsync("/admin/devices");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You may not view this page" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Search")).ToBeHiddenAsync();
        await SaveAsync(page, "admin-refused");
        Assert.Equal(HttpStatusCode.OK, await api.StatusOfAsync(HttpMethod.Get, "/me", daves.Token));
    }

    [Fact]
    public async Task CrossSiteFormPost_IsRefused_AndTheUserStaysSignedIn()
    {
        await server.AddUserAsync("erin");
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl.ToString() });
        var page = await context.NewPageAsync();
        await SignInAsync(page, "erin");
        // Another site, served by the browser itself, whose form posts to the page's sign-out.
        var target = new Uri(server.BaseUrl, "/page/session/logout/");
        await page.RouteAsync("http://attacker.test/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"""<form method="post" action="{target}"><button>Win a prize</button></form>""",
        }));
        await page.GotoAsync("http://attacker.test/");

        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Win a prize" }).ClickAsync(),
            r => r.Url == target.ToString());

        Assert.Equal(403, answer.Status);
        await SaveAsync(page, "cross-site-refused");
        Assert.Equal(1, await DevicesOfAsync("erin"));
        await page.GotoAsync("/");
        await Expect(page.Locator("tbody tr").Filter(new() { HasText = "This device" })).ToBeVisibleAsync();
    }

    /// <summary>Signs in on the devices page, as a person does, and waits for the device list.</summary>
    internal static async Task SignInAsync(IPage page, string username)
    {
        await page.GotoAsync("/");
        await SubmitAsync(page, username, "password123");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Where you are signed in" })).ToBeVisibleAsync();
    }

    private static async Task SubmitAsync(IPage page, string username, string password)
    {
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private async Task SaveAsync(IPage page, string name) =>
        output.WriteLine($"Screenshot: {await ChromiumFixture.ScreenshotAsync(page, name)}");

    private Task<int> DevicesOfAsync(string username) =>
        server.WithDatabaseAsync(async db =>
        {
            var user = db.Users.Single(u => u.UserName == username);
            var id = user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
                db.Set<Devices.Device>(), d => d.UserId == id);
        });
}
