using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Dpop;

/// <summary>What an attacker has for one request: the device's token (and another user's), a key that is not the device's, the request.</summary>
internal sealed record DpopAttackRequest(DpopKey Key, DpopKey OtherKey, string Token, string OtherToken, string Method, string Path, DateTimeOffset Now);

/// <summary>
/// The ways of presenting a DPoP-bound token (or permanent token) without a good proof by its key, each giving the
/// authorization scheme and the DPoP header to send. The control, a good proof, is <see cref="Genuine"/>.
/// </summary>
internal static class DpopAttacks
{
    public static (string Scheme, string? Proof) Genuine(DpopAttackRequest r) => ("DPoP", r.Key.Proof(r.Method, r.Path, r.Now, r.Token));

    /// <summary>Proofs that no request may accept; at refresh they are made without <c>ath</c>, as a refresh proof is.</summary>
    public static readonly IReadOnlyDictionary<string, Func<DpopAttackRequest, bool, string?>> Proofs =
        new Dictionary<string, Func<DpopAttackRequest, bool, string?>>
        {
            ["no proof"] = (_, _) => null,
            ["proof for another method"] = (r, ath) => r.Key.Proof(r.Method == "GET" ? "POST" : "GET", r.Path, r.Now, Ath(r, ath)),
            ["proof for another path"] = (r, ath) => r.Key.Proof(r.Method, "/elsewhere/", r.Now, Ath(r, ath)),
            ["proof for another origin"] = (r, ath) => r.Key.Proof(r.Method, "https://api.example.com" + r.Path, r.Now, Ath(r, ath)),
            ["stale iat"] = (r, ath) => r.Key.Proof(r.Method, r.Path, r.Now - TimeSpan.FromMinutes(2), Ath(r, ath)),
            ["future iat"] = (r, ath) => r.Key.Proof(r.Method, r.Path, r.Now + TimeSpan.FromMinutes(2), Ath(r, ath)),
            ["no iat"] = (r, ath) => r.Key.Proof(r.Method, r.Path, r.Now, Ath(r, ath), change: (_, p) => p.Remove("iat")),
            ["iat not a date"] = (r, ath) => r.Key.Proof(r.Method, r.Path, r.Now, Ath(r, ath), change: (_, p) => p["iat"] = "yesterday"),
            ["no jti"] = (r, ath) => r.Key.Proof(r.Method, r.Path, r.Now, Ath(r, ath), change: (_, p) => p.Remove("jti")),
            ["typ JWT"] = (r, ath) => r.Key.Proof(r.Method, r.Path, r.Now, Ath(r, ath), change: (h, _) => h["typ"] = "JWT"),
            ["alg none"] = (r, ath) => Unsigned(r.Key.Proof(r.Method, r.Path, r.Now, Ath(r, ath), change: (h, _) => h["alg"] = "none")),
            ["alg HS256 keyed with the public key"] = (r, ath) => Hmac(r, ath, r.Key.PublicJwk, System.Text.Encoding.ASCII.GetBytes(r.Key.PublicJwk["x"]!.GetValue<string>())),
            ["symmetric jwk"] = (r, ath) =>
            {
                var secret = RandomNumberGenerator.GetBytes(32);
                return Hmac(r, ath, new JsonObject { ["kty"] = "oct", ["k"] = Base64Url.EncodeToString(secret) }, secret);
            },
            ["jwk with its private part"] = (r, ath) => r.Key.Proof(r.Method, r.Path, r.Now, Ath(r, ath), change: (h, _) => h["jwk"] = r.Key.PrivateJwk),
            ["jwk of another key than the signature's"] = (r, ath) => r.Key.Proof(r.Method, r.Path, r.Now, Ath(r, ath), change: (h, _) => h["jwk"] = r.OtherKey.PublicJwk),
            ["another key than cnf.jkt"] = (r, ath) => r.OtherKey.Proof(r.Method, r.Path, r.Now, Ath(r, ath)),
            ["tampered payload"] = (r, ath) => HandMadeJwt.WithPayload(r.Key.Proof(r.Method, r.Path, r.Now, Ath(r, ath)),
                HandMadeJwt.Payload(r.Key.Proof(r.Method, r.Path, r.Now, Ath(r, ath))).Also(p => p["jti"] = "changed")),
        };

    /// <summary>Attacks only a request can suffer: on the access token's hash, or on the scheme.</summary>
    public static readonly IReadOnlyDictionary<string, Func<DpopAttackRequest, (string Scheme, string? Proof)>> RequestOnly =
        new Dictionary<string, Func<DpopAttackRequest, (string Scheme, string? Proof)>>
        {
            ["ath of another token"] = r => ("DPoP", r.Key.Proof(r.Method, r.Path, r.Now, r.OtherToken)),
            ["no ath"] = r => ("DPoP", r.Key.Proof(r.Method, r.Path, r.Now)),
            ["bound token as Bearer"] = r => ("Bearer", r.Key.Proof(r.Method, r.Path, r.Now, r.Token)),
            ["bound token as JWT"] = r => ("JWT", r.Key.Proof(r.Method, r.Path, r.Now, r.Token)),
        };

    private static string? Ath(DpopAttackRequest r, bool ath) => ath ? r.Token : null;

    private static string Unsigned(string proof) => proof[..(proof.LastIndexOf('.') + 1)];

    private static string Hmac(DpopAttackRequest r, bool ath, JsonObject jwk, byte[] key)
    {
        var proof = r.Key.Proof(r.Method, r.Path, r.Now, Ath(r, ath));
        var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "HS256", ["jwk"] = jwk };
        return HandMadeJwt.SignHmac(header, HandMadeJwt.Payload(proof), key, HashAlgorithmName.SHA256);
    }

    private static JsonObject Also(this JsonObject json, Action<JsonObject> change)
    {
        change(json);
        return json;
    }
}
