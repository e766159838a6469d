namespace JwtDevices.Server.Pages;

/// <summary>The headers every page, script and style sheet of the server is sent with; API answers are left as the seed's.</summary>
internal static class PageSecurityHeaders
{
    /// <summary>Scripts and styles only from files of this server: no inline code, no other origin, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // The files are small; a new release must reach browsers at once.
        headers.CacheControl = "no-cache";
    }
}
