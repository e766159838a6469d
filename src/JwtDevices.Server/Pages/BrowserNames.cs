namespace JwtDevices.Server.Pages;

/// <summary>Names the page's device after the browser that signed in, such as "Chrome on Linux".</summary>
internal static class BrowserNames
{
    // Order matters: Edge and Opera also say Chrome, Chrome also says Safari, and Android also says Linux.
    private static readonly (string Token, string Name)[] s_browsers =
    [
        ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chromium/", "Chromium"),
        ("HeadlessChrome/", "Chrome"), ("Chrome/", "Chrome"), ("CriOS/", "Chrome"), ("Safari/", "Safari"),
    ];

    private static readonly (string Token, string Name)[] s_systems =
    [
        ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
        ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
    ];

    /// <summary>"Browser on system", what is known of it, or "Web browser".</summary>
    public static string FromUserAgent(string userAgent)
    {
        var browser = Find(s_browsers, userAgent);
        var system = Find(s_systems, userAgent);
        return (browser, system) switch
        {
            (null, null) => "Web browser",
            (null, _) => $"Web browser on {system}",
            (_, null) => browser,
            _ => $"{browser} on {system}",
        };
    }

    private static string? Find((string Token, string Name)[] candidates, string userAgent) =>
        candidates.FirstOrDefault(c => userAgent.Contains(c.Token, StringComparison.Ordinal)).Name;
}
