using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Pages;

/// <summary>
/// The cookie that holds the page's permanent token. Scripts cannot read it (HttpOnly), other sites
/// cannot make the browser send it (SameSite=Strict), and the browser sends it only to the page's own
/// session endpoints (its path), never to the API.
/// </summary>
internal static class PageSessionCookie
{
    public const string Name = "jwtdevices_page";

    /// <summary>The only path the browser sends the cookie to.</summary>
    public const string Path = "/page/session/";

    public static string? Read(HttpRequest request) => request.Cookies[Name];

    /// <summary>Sets or renews the cookie; it lives as long as the device may stay idle.</summary>
    public static void Write(HttpContext context, string permanentToken, IOptions<JwtDevicesOptions> options) =>
        context.Response.Cookies.Append(Name, permanentToken, Options(context, options.Value.PermanentTokenLifetime));

    public static void Delete(HttpContext context) =>
        context.Response.Cookies.Delete(Name, Options(context, maxAge: null));

    private static CookieOptions Options(HttpContext context, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = Path,
        MaxAge = maxAge,
        IsEssential = true,
    };
}
