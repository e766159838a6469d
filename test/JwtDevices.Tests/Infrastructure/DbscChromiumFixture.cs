using Microsoft.Playwright;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// Headless Chromium from the system's package with Device Bound Session Credentials turned on as Chromium 156
/// runs them without a TPM (software keys, no origin-trial token, no refresh quota), trusting
/// <see cref="TestCertificate"/>; and a second Chromium that trusts the certificate but has no DBSC, as a browser
/// without the feature.
/// </summary>
public sealed class DbscChromiumFixture : IAsyncLifetime
{
    /// <summary>The features as the issue verified them; <c>RefreshQuota/false</c> lets short test cookies renew often.</summary>
    public const string Features =
        "--enable-features=DeviceBoundSessions:RequireOriginTrialTokens/false/RefreshQuota/false/CheckSubdomainRegistration/false/OriginTrialFeedback/true/SchemaVersion/2,"
        + "EnableBoundSessionCredentialsSoftwareKeysForManualTesting";

    private IPlaywright? _playwright;

    /// <summary>Chromium with DBSC.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Chromium without DBSC.</summary>
    public IBrowser PlainBrowser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(TestServices.ChromiumPath))
        {
            throw new InvalidOperationException(
                $"No Chromium at {TestServices.ChromiumPath}: apt-get install chromium, or set {TestServices.Chromium}.");
        }
        _playwright = await Playwright.CreateAsync();
        string[] common = ["--no-sandbox", "--disable-dev-shm-usage", $"--ignore-certificate-errors-spki-list={TestCertificate.SpkiHash}"];
        Browser = await LaunchAsync([.. common, Features]);
        PlainBrowser = await LaunchAsync(common);
    }

    private Task<IBrowser> LaunchAsync(string[] args) =>
        _playwright!.Chromium.LaunchAsync(new() { ExecutablePath = TestServices.ChromiumPath, Headless = true, Args = args });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        if (PlainBrowser is not null)
        {
            await PlainBrowser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
