using Microsoft.Net.Http.Headers;

namespace JwtDevices.Endpoints;

/// <summary>Whether a JSON body can be read as sent: JSON is UTF-8 (RFC 8259).</summary>
internal static class JsonContentType
{
    /// <summary>
    /// True when the content type names no charset, an empty one, or UTF-8. Any other charset is refused (415)
    /// before the body is read: the framework's reader looks the charset up and throws (a 500) for one it
    /// does not know.
    /// </summary>
    public static bool IsUtf8(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && (mediaType.Charset.Length == 0
            || mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || mediaType.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
}
