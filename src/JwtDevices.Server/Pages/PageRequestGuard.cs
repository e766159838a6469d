namespace JwtDevices.Server.Pages;

/// <summary>
/// Refuses a cookie-authenticated request that another site could have made: it must carry the page's
/// own header (which a cross-site form cannot send and a cross-site script cannot send without a CORS
/// preflight, which this server never grants), and its <c>Origin</c> must be this server's.
/// </summary>
internal static class PageRequestGuard
{
    public const string HeaderName = "X-JwtDevices-Page";

    public static ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var request = invocation.HttpContext.Request;
        return IsFromPage(request) ? next(invocation) : ValueTask.FromResult<object?>(JwtDevicesProblems.CrossSiteRequest());
    }

    internal static bool IsFromPage(HttpRequest request)
    {
        if (request.Headers[HeaderName].ToString() != "1")
        {
            return false;
        }
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && fetchSite != "same-origin")
        {
            return false;
        }
        // Browsers send Origin with every POST; its absence means the request is not the page's.
        var origin = request.Headers.Origin.ToString();
        return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
