using Microsoft.Playwright;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// Headless Chromium from the system's package (<see cref="TestServices.ChromiumPath"/>), driven by
/// Playwright; no browser is downloaded. Screenshots go to <see cref="ScreenshotDirectory"/>.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The test output folder's <c>screenshots</c>, or <c>JWTDEVICES_SCREENSHOTS</c> when set.</summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("JWTDEVICES_SCREENSHOTS") is { Length: > 0 } directory
            ? directory
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(TestServices.ChromiumPath))
        {
            throw new InvalidOperationException(
                $"No Chromium at {TestServices.ChromiumPath}: apt-get install chromium, or set {TestServices.Chromium}.");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = TestServices.ChromiumPath,
            Headless = true,
            // Containers run tests as root, where Chromium's sandbox cannot start, and give /dev/shm little room.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
