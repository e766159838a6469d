using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Browser;

/// <summary>
/// The pages' <c>js/format.js</c>, run in Chromium as the pages run it: user agents as people say them,
/// and times relative to now.
/// </summary>
[RequiresService(TestServices.Chromium)]
public sealed class PageFormattingInBrowserTests(BrowserServer server, ChromiumFixture chromium)
    : IClassFixture<BrowserServer>, IClassFixture<ChromiumFixture>
{
    [Theory]
    [InlineData(UserAgents.ChromeOnLinux, "Chrome 156 on Linux")]
    [InlineData(UserAgents.FirefoxOnWindows, "Firefox 128 on Windows")]
    [InlineData(UserAgents.EdgeOnWindows, "Edge 131 on Windows")]
    [InlineData(UserAgents.SafariOnMac, "Safari 17 on macOS")]
    [InlineData(UserAgents.SafariOnIPhone, "Safari 17 on iPhone")]
    [InlineData(UserAgents.ChromeOnAndroid, "Chrome 131 on Android")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/123.0.6312.52 Mobile/15E148 Safari/604.1", "Chrome 123 on iPhone")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/124.0 Mobile/15E148 Safari/605.1.15", "Firefox 124 on iPhone")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36", "Samsung Internet 23 on Android")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0", "Opera 106 on Windows")]
    [InlineData("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "Chrome 120 on ChromeOS")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "Headless Chrome 131 on Linux")]
    [InlineData("Mozilla/5.0 (compatible; SomeBot)", "Web browser")]
    [InlineData(UserAgents.OkHttp, "OkHttp 4.12.0")]
    [InlineData(UserAgents.Curl, "curl 8.5.0")]
    [InlineData(UserAgents.IosApp, "MyApp 2.3.1 on iOS")]
    [InlineData("My%20App/1.0 CFNetwork/1410.0.3 Darwin/22.6.0", "My App 1.0 on iOS")]
    [InlineData(UserAgents.AndroidApp, "App on Pixel 8 (Android 14)")]
    [InlineData("Dart/3.2 (dart:io)", "Dart 3.2")]
    [InlineData("python-requests/2.31.0", "Python Requests 2.31.0")]
    [InlineData("PostmanRuntime/7.36.0", "Postman 7.36.0")]
    [InlineData("agent", null)]
    [InlineData("Alice's laptop", null)]
    [InlineData("", null)]
    public async Task UserAgents_AreWrittenAsPeopleSayThem(string userAgent, string? expected)
    {
        var described = await RunAsync<string?>("(format, agent) => format.describeAgent(agent)", userAgent);

        Assert.Equal(expected, described);
    }

    [Theory]
    [InlineData(0, "now")]
    [InlineData(-30, "now")]
    [InlineData(-50, "50 seconds ago")]
    [InlineData(-5 * 60, "5 minutes ago")]
    [InlineData(-89 * 60, "1 hour ago")]
    [InlineData(-3 * 3600, "3 hours ago")]
    [InlineData(-26 * 3600, "yesterday")]
    [InlineData(-3 * 86400, "3 days ago")]
    [InlineData(-40 * 86400, "last month")]
    [InlineData(-800 * 86400, "2 years ago")]
    [InlineData(10 * 60, "in 10 minutes")] // a server clock a little ahead
    public async Task Times_AreWrittenRelativeToNow(int seconds, string expected)
    {
        var written = await RunAsync<string>(
            "(format, seconds) => { const now = Date.UTC(2026, 11, 7, 12); return format.timeAgo(new Date(now + seconds * 1000).toISOString(), now, 'en'); }",
            seconds);

        Assert.Equal(expected, written);
    }

    // Imports the module from the server, as the pages do, and calls the function with the argument. The style
    // sheet gives the page the server's origin without running the pages' own scripts.
    private async Task<T> RunAsync<T>(string function, object argument)
    {
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/css/site.css");
        return await page.EvaluateAsync<T>(
            $"async argument => {{ const format = await import('/js/format.js'); return ({function})(format, argument); }}", argument);
    }
}
