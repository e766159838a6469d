namespace JwtDevices.Server.Pages.Dbsc;

/// <summary>
/// Device Bound Session Credentials for the pages (section <c>Pages:Dbsc</c>): a browser that supports them keeps
/// a private key and proves it whenever the pages' short-lived session cookie must be renewed.
/// </summary>
internal sealed class PageDbscOptions
{
    public const string ConfigurationSection = "Pages:Dbsc";

    /// <summary>Whether a page sign-in offers the browser a bound session. On by default; browsers without DBSC ignore the offer.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long the bound session's cookie lives before the browser must prove its key again.</summary>
    public TimeSpan CookieLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether the pages keep a session only for browsers that bind it: a sign-in sets no long-lived cookie, so a
    /// browser without DBSC stays signed in only until the page is closed or reloaded.
    /// </summary>
    public bool Require { get; set; }
}
