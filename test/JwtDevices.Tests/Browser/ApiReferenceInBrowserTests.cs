using System.Collections.Concurrent;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace JwtDevices.Tests.Browser;

/// <summary>
/// The API reference page (Scalar, served in Development, as the test server runs) in Chromium: it shows
/// the API from this server alone, and none of its vendor's hosted-service buttons.
/// </summary>
[RequiresService(TestServices.Chromium)]
public sealed class ApiReferenceInBrowserTests(BrowserServer server, ChromiumFixture chromium, ITestOutputHelper output)
    : IClassFixture<BrowserServer>, IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task ApiReference_FetchesNothingFromAnotherOrigin_AndShowsNoAskAiDeployOrSdkButtons()
    {
        await using var context = await chromium.Browser.NewContextAsync(new()
        {
            BaseURL = server.BaseUrl.ToString(),
            ViewportSize = new() { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        var requested = new ConcurrentQueue<string>();
        page.Request += (_, request) => requested.Enqueue(request.Url);

        await page.GotoAsync("/scalar/v1");
        await Expect(page.GetByText("/device-refresh-token/").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var screenshot = Path.Combine(ChromiumFixture.ScreenshotDirectory, "api-reference.png");
        await page.ScreenshotAsync(new() { Path = screenshot }); // the first screen: the whole reference is very long
        output.WriteLine($"Screenshot: {screenshot}");

        var origin = server.BaseUrl.GetLeftPart(UriPartial.Authority);
        var elsewhere = requested.Where(url => !url.StartsWith(origin + "/", StringComparison.Ordinal)
            && !url.StartsWith("data:", StringComparison.Ordinal) && !url.StartsWith("blob:", StringComparison.Ordinal)).ToList();
        Assert.True(elsewhere.Count == 0, "Fetched from another origin:\n" + string.Join('\n', elsewhere));
        Assert.Contains(requested, url => url.EndsWith("/openapi/v1.json", StringComparison.Ordinal));
        foreach (var chrome in new[] { "Ask AI", "Deploy", "Generate SDK", "Open API Client", "MCP" })
        {
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = chrome })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = chrome })).ToHaveCountAsync(0);
        }
    }
}
