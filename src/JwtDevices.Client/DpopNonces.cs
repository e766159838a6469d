using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;

namespace JwtDevices.Client;

/// <summary>
/// The latest <c>DPoP-Nonce</c> each origin gave (RFC 9449 §8): any answer may carry a fresh one, and the next proof
/// to that origin carries it. Also tells a refusal that only asks for a nonce from one that refuses the proof.
/// </summary>
internal sealed class DpopNonces
{
    private const string NonceHeader = "DPoP-Nonce";
    private readonly ConcurrentDictionary<string, string> _latest = new(StringComparer.OrdinalIgnoreCase);

    public string? For(Uri uri) => _latest.TryGetValue(Origin(uri), out var nonce) ? nonce : null;

    /// <summary>Keeps the answer's nonce, if it has one; returns whether it had.</summary>
    public bool Remember(Uri uri, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(NonceHeader, out var values) || values.FirstOrDefault() is not { Length: > 0 } nonce)
        {
            return false;
        }
        _latest[Origin(uri)] = nonce;
        return true;
    }

    /// <summary>A resource's 401 with <c>WWW-Authenticate: DPoP error="use_dpop_nonce"</c>.</summary>
    public static bool AsksForNonce(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.Any(IsUseNonce);

    private static bool IsUseNonce(AuthenticationHeaderValue challenge) =>
        string.Equals(challenge.Scheme, "DPoP", StringComparison.OrdinalIgnoreCase)
        && challenge.Parameter is { } parameter
        && parameter.Contains("error=\"use_dpop_nonce\"", StringComparison.Ordinal);

    /// <summary>The scheme, host and port a nonce belongs to.</summary>
    public static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);
}
