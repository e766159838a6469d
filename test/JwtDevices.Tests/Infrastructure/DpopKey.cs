using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using JwtDevices.Tests.BadInput;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// A client's DPoP key (P-256) and the proofs it signs, made by hand here (not with the library under test), so
/// that a test can change any part of a proof. Its thumbprint is computed by hand too, as RFC 7638 writes it.
/// </summary>
public sealed class DpopKey : IDisposable
{
    /// <summary>The origin of the test server's client (<c>WebApplicationFactory</c>'s default base address).</summary>
    public const string Origin = "http://localhost";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The public key as a JWK: kty, crv, x, y.</summary>
    public JsonObject PublicJwk
    {
        get
        {
            var parameters = _key.ExportParameters(includePrivateParameters: false);
            return new JsonObject
            {
                ["kty"] = "EC",
                ["crv"] = "P-256",
                ["x"] = Base64Url.EncodeToString(parameters.Q.X),
                ["y"] = Base64Url.EncodeToString(parameters.Q.Y),
            };
        }
    }

    /// <summary>The key with its private part <c>d</c>, as a careless client might send it.</summary>
    public JsonObject PrivateJwk
    {
        get
        {
            var jwk = PublicJwk;
            jwk["d"] = Base64Url.EncodeToString(_key.ExportParameters(includePrivateParameters: true).D);
            return jwk;
        }
    }

    /// <summary>The RFC 7638 thumbprint: SHA-256 of the required members, sorted, with no white space.</summary>
    public string Thumbprint
    {
        get
        {
            var jwk = PublicJwk;
            var canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{jwk["x"]}\",\"y\":\"{jwk["y"]}\"}}";
            return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        }
    }

    /// <summary>
    /// A proof for <paramref name="method"/> <paramref name="url"/> (a path is taken on <see cref="Origin"/>),
    /// issued at <paramref name="issuedAt"/>; with <c>ath</c> when an access token is given, and <c>nonce</c> when
    /// one is. <paramref name="change"/> may change the header and payload before signing.
    /// </summary>
    public string Proof(string method, string url, DateTimeOffset issuedAt, string? accessToken = null, string? nonce = null,
        string? jti = null, Action<JsonObject, JsonObject>? change = null)
    {
        var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "ES256", ["jwk"] = PublicJwk };
        var payload = new JsonObject
        {
            ["jti"] = jti ?? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            ["htm"] = method,
            ["htu"] = url.StartsWith('/') ? Origin + url : url,
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            payload["ath"] = AccessTokenHash(accessToken);
        }
        if (nonce is not null)
        {
            payload["nonce"] = nonce;
        }
        change?.Invoke(header, payload);
        return Sign(header, payload);
    }

    /// <summary>Signs a header and payload as given, with this key and ES256.</summary>
    public string Sign(JsonObject header, JsonObject payload)
    {
        var signingInput = $"{HandMadeJwt.Encode(header)}.{HandMadeJwt.Encode(payload)}";
        // .NET signs ECDSA in the IEEE P1363 form (r || s), the form JWS uses.
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>The <c>ath</c> of an access token, computed by hand.</summary>
    public static string AccessTokenHash(string accessToken) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    /// <summary>The <c>cnf.jkt</c> of a token, or null.</summary>
    public static string? JktOf(string token) =>
        HandMadeJwt.Payload(token)["cnf"]?["jkt"]?.GetValue<string>();

    public void Dispose() => _key.Dispose();
}
