using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace JwtDevices.Client;

/// <summary>
/// Signs RFC 9449 DPoP proofs with a device's P-256 key: <c>typ</c> <c>dpop+jwt</c>, <c>alg</c> ES256, the public
/// <c>jwk</c>; <c>jti</c>, <c>htm</c>, <c>htu</c>, <c>iat</c>, and <c>ath</c> and <c>nonce</c> when given. Encoded here
/// rather than through a JWT library: a proof is two small JSON objects and one <see cref="ECDsa"/> signature, and the
/// client stays free of dependencies beyond the framework.
/// </summary>
internal static class DpopProof
{
    /// <summary>A new P-256 key for a device.</summary>
    public static ECDsa CreateKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>
    /// A proof for one request. <paramref name="accessToken"/> is bound through <c>ath</c> (resource requests only);
    /// <paramref name="nonce"/> is the server's latest <c>DPoP-Nonce</c> for the request's origin.
    /// </summary>
    public static string Create(ECDsa key, HttpMethod method, Uri uri, string? accessToken, string? nonce, DateTimeOffset now)
    {
        var payload = Base64Url(Payload(method, uri, accessToken, nonce, now));
        // One key signs for every concurrent request of its client, and ECDsa instances are not documented thread-safe.
        lock (key)
        {
            var signingInput = Base64Url(Header(key)) + "." + payload;
            // SignData gives IEEE P1363 (r‖s), as JWS wants, not DER.
            var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
            return signingInput + "." + Base64Url(signature);
        }
    }

    /// <summary>The target URI as <c>htu</c>: scheme, authority and path, without query or fragment (RFC 9449 §4.2).</summary>
    public static string TargetUri(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    private static byte[] Header(ECDsa key)
    {
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        return Json(writer =>
        {
            writer.WriteString("typ", "dpop+jwt");
            writer.WriteString("alg", "ES256");
            writer.WriteStartObject("jwk");
            writer.WriteString("kty", "EC");
            writer.WriteString("crv", "P-256");
            writer.WriteString("x", Base64Url(point.X!));
            writer.WriteString("y", Base64Url(point.Y!));
            writer.WriteEndObject();
        });
    }

    private static byte[] Payload(HttpMethod method, Uri uri, string? accessToken, string? nonce, DateTimeOffset now) => Json(writer =>
    {
        writer.WriteString("jti", Base64Url(RandomNumberGenerator.GetBytes(16)));
        writer.WriteString("htm", method.Method);
        writer.WriteString("htu", TargetUri(uri));
        writer.WriteNumber("iat", now.ToUnixTimeSeconds());
        if (accessToken is not null)
        {
            writer.WriteString("ath", Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))));
        }
        if (nonce is not null)
        {
            writer.WriteString("nonce", nonce);
        }
    });

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    internal static string Base64Url(ReadOnlySpan<byte> bytes)
    {
#if NET9_0_OR_GREATER
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
#else
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
#endif
    }
}
