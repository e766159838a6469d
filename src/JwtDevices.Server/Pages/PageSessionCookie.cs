using Microsoft.Extensions.Options;
using CookieHeaderValue = Microsoft.Net.Http.Headers.CookieHeaderValue;

namespace JwtDevices.Server.Pages;

/// <summary>
/// The cookie that holds the page's permanent token. Scripts cannot read it (HttpOnly) and other sites
/// cannot make the browser send it (SameSite=Strict). Outside Development it is <c>__Host-jwtdevices_page</c>
/// and always Secure, even on a request that reached the server as plain HTTP behind a TLS proxy: the
/// prefix makes the browser accept it only Secure, from this host, with <c>Path=/</c> and no Domain, so
/// neither a plain-HTTP answer nor a sibling subdomain can set one. In Development, served over plain
/// HTTP, it is <c>jwtdevices_page</c>, Secure over HTTPS only.
/// </summary>
internal static class PageSessionCookie
{
    public const string Name = "__Host-jwtdevices_page";

    /// <summary>The name in Development, where the page may be served over plain HTTP and no prefix is possible.</summary>
    public const string DevelopmentName = "jwtdevices_page";

    /// <summary>The prefix needs the root path; the cookie is read by the page's session endpoints alone.</summary>
    public const string Path = "/";

    /// <summary>
    /// The permanent token, or null when the request carries none, or more than one: then one may have been
    /// planted (by a sibling subdomain, or over plain HTTP), and the server cannot tell which is its own.
    /// </summary>
    public static string? Read(HttpContext context)
    {
        var name = NameFor(context);
        if (!CookieHeaderValue.TryParseList(context.Request.Headers.Cookie, out var cookies)
            // As the framework's cookie collection compares names.
            || cookies.Count(cookie => cookie.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) != 1)
        {
            return null;
        }
        return context.Request.Cookies[name];
    }

    /// <summary>Sets or renews the cookie; it lives as long as the device may stay idle.</summary>
    public static void Write(HttpContext context, string permanentToken, IOptions<JwtDevicesOptions> options) =>
        context.Response.Cookies.Append(NameFor(context), permanentToken, Options(context, options.Value.PermanentTokenLifetime));

    public static void Delete(HttpContext context) =>
        context.Response.Cookies.Delete(NameFor(context), Options(context, maxAge: null));

    private static bool InDevelopment(HttpContext context) =>
        context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment();

    private static string NameFor(HttpContext context) => InDevelopment(context) ? DevelopmentName : Name;

    private static CookieOptions Options(HttpContext context, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps || !InDevelopment(context),
        Path = Path,
        MaxAge = maxAge,
        IsEssential = true,
    };
}
