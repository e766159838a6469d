using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace JwtDevices.Dpop;

/// <summary>
/// The <c>htu</c> comparison of RFC 9449 §4.3: both sides go through one normal form, with no query or
/// fragment, scheme and host in lower case, and a default port left out.
/// </summary>
internal static class DpopTargetUri
{
    /// <summary>The normal form of an absolute http or https URI, or <see langword="null"/> when it is not one.</summary>
    public static string? Normalize(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }
        // Port appears only when it is not the scheme's default; user info, query and fragment never.
        return parsed.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
    }

    /// <summary>The normal form of an origin with nothing after it, or <see langword="null"/>.</summary>
    public static string? ParseOrigin(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
            || parsed.AbsolutePath != "/" || parsed.Query.Length > 0 || parsed.Fragment.Length > 0 || parsed.UserInfo.Length > 0)
        {
            return null;
        }
        return parsed.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
    }

    /// <summary>
    /// Whether a proof's <c>htu</c> names <paramref name="requestTarget"/>: the same text (what clients send), or the
    /// same normal form. <see langword="false"/> when the request has no target.
    /// </summary>
    public static bool Matches(string htu, string? requestTarget) =>
        requestTarget is not null
        && (string.Equals(htu, requestTarget, StringComparison.Ordinal)
            || (Normalize(requestTarget) is { } target && string.Equals(Normalize(htu), target, StringComparison.Ordinal)));

    /// <summary>
    /// The request's target as clients name it: its scheme and host as the forwarded-headers middleware left
    /// them (or <paramref name="publicOrigin"/>), then its path base and path; not yet in normal form, since a
    /// proof that names it as it is needs none (<see cref="Matches"/>).
    /// </summary>
    public static string FromRequest(HttpRequest request, string? publicOrigin) =>
        publicOrigin is null
            ? UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path)
            : publicOrigin + request.PathBase.Add(request.Path).ToUriComponent();
}
