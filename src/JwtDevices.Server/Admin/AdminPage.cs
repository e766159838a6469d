using Microsoft.Net.Http.Headers;

namespace JwtDevices.Server.Admin;

/// <summary>
/// Sends a browser that opens <c>/admin</c>, <c>/admin/</c>, <c>/admin/devices</c> or <c>/admin/devices/</c>
/// to the admin page's file, while an API client asking the same address gets the JSON API's answer. A
/// browser navigation is told apart by its <c>Accept</c> header, which names <c>text/html</c>; an API
/// client's (<c>*/*</c>, <c>application/json</c>, or none) does not.
/// </summary>
internal static class AdminPage
{
    public const string PagePath = "/admin/devices.html";

    /// <summary>Rewrites a browser's request for an admin address to the page's file, for the static files to serve.</summary>
    public static IApplicationBuilder UseAdminPage(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var request = context.Request;
            if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                && IsAdminAddress(request.Path)
                && AcceptsHtml(request))
            {
                request.Path = PagePath;
                // Routing has already chosen the JSON endpoint for this address; the static files serve only unrouted requests.
                context.SetEndpoint(null);
                // One address, two answers: a cache must not hand the page to an API client, or the reverse.
                context.Response.Headers.Vary = HeaderNames.Accept;
            }
            return next(context);
        });

    // Every request passes here, the API's too: no allocation.
    private static bool IsAdminAddress(PathString path) =>
        path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase, out var rest)
        && (!rest.HasValue || rest.Value == "/"
            || rest.Equals("/devices", StringComparison.OrdinalIgnoreCase)
            || rest.Equals("/devices/", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the client prefers HTML: it names <c>text/html</c>, and not <c>application/json</c> above it.</summary>
    internal static bool AcceptsHtml(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }
        var html = QualityOf(accepted, "text/html");
        return html > 0 && html >= QualityOf(accepted, "application/json");
    }

    private static double QualityOf(IList<MediaTypeHeaderValue> accepted, string mediaType) =>
        accepted
            .Where(value => value.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase))
            .Select(value => value.Quality ?? 1)
            .DefaultIfEmpty(0)
            .Max();
}
