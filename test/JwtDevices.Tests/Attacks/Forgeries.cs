using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using JwtDevices.Tests.BadInput;

namespace JwtDevices.Tests.Attacks;

/// <summary>
/// The forged tokens of the attack suite, by class of attack, each under a name that says what it tries.
/// Each starts from the scene's genuine tokens and changes one thing, so that it fails for that thing.
/// </summary>
internal static class Forgeries
{
    private const string AttackerUrl = "https://attacker.example/.well-known/jwks.json";

    /// <summary>A key pair of the attacker's own, for the asymmetric algorithms the server must never take.</summary>
    private static readonly RSA s_attackerRsa = RSA.Create(2048);

    /// <summary>Algorithm confusion: other algorithms, none, and the symmetric key presented as a public key.</summary>
    public static readonly IReadOnlyDictionary<string, Func<AttackScene, string>> Algorithms = new Dictionary<string, Func<AttackScene, string>>
    {
        ["alg none, no signature"] = s => $"{HandMadeJwt.Encode(Header("none", s.AttackerKeyId))}.{HandMadeJwt.Encode(s.AttackerPayload)}.",
        ["alg none, no kid, no signature"] = s => HandMadeJwt.Unsigned(s.AttackerPayload),
        ["alg none, genuine signature kept"] = s => HandMadeJwt.WithHeader(s.Attacker.Token, Header("none", s.AttackerKeyId)),
        ["alg None"] = s => $"{HandMadeJwt.Encode(Header("None", s.AttackerKeyId))}.{HandMadeJwt.Encode(s.AttackerPayload)}.",
        ["alg NONE"] = s => $"{HandMadeJwt.Encode(Header("NONE", s.AttackerKeyId))}.{HandMadeJwt.Encode(s.AttackerPayload)}.",
        ["alg HS256, empty signature"] = s => HandMadeJwt.WithSignature(s.Attacker.Token, string.Empty),
        ["alg HS256, signature cut to 16 bytes"] = s => HandMadeJwt.WithSignature(s.Attacker.Token, HandMadeJwt.Signature(s.Attacker.Token)[..22]),
        ["alg HS384 with the device key"] = s => HandMadeJwt.Sign(s.AttackerPayload, s.AttackerKey, "HS384", s.AttackerKeyId),
        ["alg HS512 with the device key"] = s => HandMadeJwt.Sign(s.AttackerPayload, s.AttackerKey, "HS512", s.AttackerKeyId),
        ["alg RS256, HMAC with the device key as the public key"] = s =>
            HandMadeJwt.SignHmac(Header("RS256", s.AttackerKeyId), s.AttackerPayload, s.AttackerKey, HashAlgorithmName.SHA256),
        ["alg RS256, HMAC with the master key as the public key"] = s =>
            HandMadeJwt.SignHmac(Header("RS256", s.AttackerKeyId), s.AttackerPayload, AttackScene.MasterKey, HashAlgorithmName.SHA256),
        ["alg RS256, HMAC with the base64 text of the master key as the public key"] = s =>
            HandMadeJwt.SignHmac(Header("RS256", s.AttackerKeyId), s.AttackerPayload, Encoding.ASCII.GetBytes(Infrastructure.ServerFactory.SigningKey), HashAlgorithmName.SHA256),
        ["alg RS256, signed with the attacker's RSA key"] = s => HandMadeJwt.SignRsa(Header("RS256", s.AttackerKeyId), s.AttackerPayload, s_attackerRsa),
        ["alg PS256, signed with the attacker's RSA key"] = s => HandMadeJwt.SignRsa(Header("PS256", s.AttackerKeyId), s.AttackerPayload, s_attackerRsa),
    };

    /// <summary>Signatures borrowed from other tokens, or made with keys that are not the device's.</summary>
    public static readonly IReadOnlyDictionary<string, Func<AttackScene, string>> Signatures = new Dictionary<string, Func<AttackScene, string>>
    {
        ["signature of the attacker's other device's token"] = s =>
            HandMadeJwt.WithSignature(s.Attacker.Token, HandMadeJwt.Signature(s.AttackerOther.Token)),
        ["signature of the victim's token"] = s => HandMadeJwt.WithSignature(s.Attacker.Token, HandMadeJwt.Signature(s.Victim.Token)),
        ["header and signature of the victim's token, the attacker's payload"] = s => HandMadeJwt.WithPayload(s.Victim.Token, s.AttackerPayload),
        ["payload of the other device with this device's header and signature"] = s => HandMadeJwt.WithPayload(s.Attacker.Token, HandMadeJwt.Payload(s.AttackerOther.Token)),
        ["signed with the key of the attacker's other device"] = s => HandMadeJwt.Sign(s.AttackerPayload, s.AttackerOtherKey, keyId: s.AttackerKeyId),
        ["signed with the victim's device key"] = s => HandMadeJwt.Sign(s.AttackerPayload, s.VictimKey, keyId: s.AttackerKeyId),
        ["signed with a random key"] = s => HandMadeJwt.Sign(s.AttackerPayload, RandomNumberGenerator.GetBytes(32), keyId: s.AttackerKeyId),
        ["signed with the master key"] = s => HandMadeJwt.Sign(s.AttackerPayload, AttackScene.MasterKey, keyId: s.AttackerKeyId),
        ["signed with the master key, no device_id"] = s => HandMadeJwt.Sign(Without(s.AttackerPayload, "device_id"), AttackScene.MasterKey, keyId: s.AttackerKeyId),
        ["signed with the master key, no device_id, no kid"] = s => HandMadeJwt.Sign(Without(s.AttackerPayload, "device_id"), AttackScene.MasterKey),
        ["signed with an empty key"] = s => HandMadeJwt.SignHmac(Header("HS256", s.AttackerKeyId), s.AttackerPayload, [], HashAlgorithmName.SHA256),
        ["the genuine signature cut to its first 16 bytes"] = s =>
            HandMadeJwt.WithSignature(s.Attacker.Token, Base64Url.EncodeToString(Base64Url.DecodeFromChars(HandMadeJwt.Signature(s.Attacker.Token)).AsSpan(0, 16))),
        ["the genuine signature with a byte added"] = s =>
            HandMadeJwt.WithSignature(s.Attacker.Token, Base64Url.EncodeToString([.. Base64Url.DecodeFromChars(HandMadeJwt.Signature(s.Attacker.Token)), 0])),
        ["no signature, the header still HS256"] = s => HandMadeJwt.WithSignature(s.Attacker.Token, string.Empty),
    };

    /// <summary>Claims changed with the genuine signature kept, or re-signed with a leaked device key.</summary>
    public static readonly IReadOnlyDictionary<string, Func<AttackScene, string>> TamperedClaims = new Dictionary<string, Func<AttackScene, string>>
    {
        ["user_id of the victim"] = s => Tampered(s, "user_id", s.VictimPayload["user_id"]),
        ["user_id of the victim as a string"] = s => Tampered(s, "user_id", s.VictimPayload["user_id"]!.ToJsonString()),
        ["user_id of the attacker as a string"] = s => Tampered(s, "user_id", s.AttackerPayload["user_id"]!.ToJsonString()),
        ["device_id of the victim's device"] = s => Tampered(s, "device_id", s.VictimPayload["device_id"]),
        ["device_id of the attacker's other device"] = s => Tampered(s, "device_id", HandMadeJwt.Payload(s.AttackerOther.Token)["device_id"]),
        ["user_id and device_id of the victim"] = s =>
            HandMadeJwt.WithPayload(s.Attacker.Token, With(With(s.AttackerPayload, "user_id", s.VictimPayload["user_id"]), "device_id", s.VictimPayload["device_id"])),
        ["the victim's payload with the attacker's exp"] = s => HandMadeJwt.WithPayload(s.Attacker.Token, With(s.VictimPayload, "exp", s.AttackerPayload["exp"])),
        ["exp a year later"] = s => Tampered(s, "exp", s.AttackerPayload["exp"]!.GetValue<long>() + 366 * 24 * 3600),
        ["exp one second later"] = s => Tampered(s, "exp", s.AttackerPayload["exp"]!.GetValue<long>() + 1),
        ["exp removed"] = s => HandMadeJwt.WithPayload(s.Attacker.Token, Without(s.AttackerPayload, "exp")),
        ["username of the victim"] = s => Tampered(s, "username", s.VictimPayload["username"]),
        ["a role claim added"] = s => Tampered(s, "role", "admin"),
        ["re-signed with the attacker's device key, naming the victim's user"] = s =>
            HandMadeJwt.Sign(With(With(s.AttackerPayload, "user_id", s.VictimPayload["user_id"]), "username", s.VictimPayload["username"]), s.AttackerKey, keyId: s.AttackerKeyId),
        ["re-signed with the attacker's device key, naming the victim's device"] = s =>
            HandMadeJwt.Sign(With(s.AttackerPayload, "device_id", s.VictimPayload["device_id"]), s.AttackerKey, keyId: s.AttackerKeyId),
        ["re-signed with the attacker's device key, the victim's whole payload"] = s => HandMadeJwt.Sign(s.VictimPayload, s.AttackerKey, keyId: s.AttackerKeyId),
        ["re-signed with the attacker's device key, without exp"] = s => HandMadeJwt.Sign(Without(s.AttackerPayload, "exp"), s.AttackerKey, keyId: s.AttackerKeyId),
    };

    /// <summary>Key headers (<c>kid</c>, <c>jku</c>, <c>x5u</c>, <c>jwk</c>, <c>x5c</c>) pointing at keys that are not the device's.</summary>
    public static readonly IReadOnlyDictionary<string, Func<AttackScene, string>> KeyHeaders = new Dictionary<string, Func<AttackScene, string>>
    {
        ["kid of the victim's device, signed with the attacker's device key"] = s => HandMadeJwt.Sign(s.AttackerPayload, s.AttackerKey, keyId: s.VictimKeyId),
        ["kid of the victim's device, the victim's ids, signed with the attacker's device key"] = s => HandMadeJwt.Sign(s.VictimPayload, s.AttackerKey, keyId: s.VictimKeyId),
        ["kid of the attacker's other device, signed with this device's key"] = s => HandMadeJwt.Sign(s.AttackerPayload, s.AttackerKey, keyId: s.AttackerOtherKeyId),
        ["kid of the victim's device, genuine signature kept"] = s => HandMadeJwt.WithHeader(s.Attacker.Token, Header("HS256", s.VictimKeyId)),
        ["kid a URL"] = s => HandMadeJwt.Sign(s.AttackerPayload, s.AttackerKey, keyId: AttackerUrl),
        ["kid a file path"] = s => HandMadeJwt.Sign(s.AttackerPayload, s.AttackerKey, keyId: "../../../../../../dev/null"),
        ["kid an SQL injection"] = s => HandMadeJwt.Sign(s.AttackerPayload, s.AttackerKey, keyId: "' OR '1'='1"),
        ["kid empty"] = s => HandMadeJwt.Sign(s.AttackerPayload, s.AttackerKey, keyId: string.Empty),
        ["kid missing"] = s => HandMadeJwt.Sign(s.AttackerPayload, s.AttackerKey),
        ["kid 43 characters that are not base64url"] = s => HandMadeJwt.Sign(s.AttackerPayload, s.AttackerKey, keyId: new string('!', 43)),
        ["kid a number"] = s => HandMadeJwt.SignHmac(With(Header("HS256", null), "kid", 1), s.AttackerPayload, s.AttackerKey, HashAlgorithmName.SHA256),
        ["kid an array of the device's salt"] = s =>
            HandMadeJwt.SignHmac(With(Header("HS256", null), "kid", new JsonArray(s.AttackerKeyId)), s.AttackerPayload, s.AttackerKey, HashAlgorithmName.SHA256),
        ["jku pointing to the attacker's key set, RS256"] = s =>
            HandMadeJwt.SignRsa(With(Header("RS256", "attacker-key"), "jku", AttackerUrl), s.AttackerPayload, s_attackerRsa),
        ["jku pointing to the attacker's key set, HS256 with a key of the attacker's"] = s =>
            HandMadeJwt.SignHmac(With(Header("HS256", s.AttackerKeyId), "jku", AttackerUrl), s.AttackerPayload, new byte[32], HashAlgorithmName.SHA256),
        ["x5u pointing to the attacker's certificate, RS256"] = s =>
            HandMadeJwt.SignRsa(With(Header("RS256", s.AttackerKeyId), "x5u", "https://attacker.example/cert.pem"), s.AttackerPayload, s_attackerRsa),
        ["jwk embedding the attacker's RSA public key, RS256"] = s =>
            HandMadeJwt.SignRsa(With(Header("RS256", "attacker-key"), "jwk", RsaJwk()), s.AttackerPayload, s_attackerRsa),
        ["jwk embedding a symmetric key of the attacker's, HS256"] = s =>
            HandMadeJwt.SignHmac(
                With(Header("HS256", s.AttackerKeyId), "jwk", new JsonObject { ["kty"] = "oct", ["kid"] = s.AttackerKeyId, ["k"] = Base64Url.EncodeToString(new byte[32]) }),
                s.AttackerPayload, new byte[32], HashAlgorithmName.SHA256),
        ["x5c embedding the attacker's self-signed certificate, RS256"] = s =>
            HandMadeJwt.SignRsa(With(Header("RS256", s.AttackerKeyId), "x5c", new JsonArray(SelfSignedCertificate())), s.AttackerPayload, s_attackerRsa),
    };

    /// <summary>Tokens that are not well-formed JWS: bad base64url, bad JSON, wrong shapes.</summary>
    public static readonly IReadOnlyDictionary<string, Func<AttackScene, string>> Malformed = new Dictionary<string, Func<AttackScene, string>>
    {
        ["header not base64url"] = s => $"!!!!.{Parts(s.Attacker.Token)[1]}.{Parts(s.Attacker.Token)[2]}",
        ["payload not base64url"] = s => $"{Parts(s.Attacker.Token)[0]}.$$$$.{Parts(s.Attacker.Token)[2]}",
        ["signature not base64url"] = s => HandMadeJwt.WithSignature(s.Attacker.Token, "****"),
        ["signature in standard base64 with padding"] = s =>
            HandMadeJwt.WithSignature(s.Attacker.Token, Convert.ToBase64String(Base64Url.DecodeFromChars(HandMadeJwt.Signature(s.Attacker.Token))) + "=="),
        ["header padded with ="] = s => $"{Parts(s.Attacker.Token)[0]}=.{Parts(s.Attacker.Token)[1]}.{Parts(s.Attacker.Token)[2]}",
        ["header not JSON"] = s => HandMadeJwt.SignHmac(HandMadeJwt.EncodeText("alg=HS256"), Parts(s.Attacker.Token)[1], s.AttackerKey, HashAlgorithmName.SHA256),
        ["payload not JSON"] = s => HandMadeJwt.SignHmac(Parts(s.Attacker.Token)[0], HandMadeJwt.EncodeText("user_id=1"), s.AttackerKey, HashAlgorithmName.SHA256),
        ["payload cut mid-JSON"] = s =>
            HandMadeJwt.SignHmac(Parts(s.Attacker.Token)[0], HandMadeJwt.EncodeText(s.AttackerPayload.ToJsonString()[..20]), s.AttackerKey, HashAlgorithmName.SHA256),
        ["payload a JSON array"] = s => HandMadeJwt.SignHmac(Parts(s.Attacker.Token)[0], HandMadeJwt.Encode(new JsonArray(s.AttackerPayload)), s.AttackerKey, HashAlgorithmName.SHA256),
        ["payload a JSON string"] = s => HandMadeJwt.SignHmac(Parts(s.Attacker.Token)[0], HandMadeJwt.EncodeText("\"user_id\""), s.AttackerKey, HashAlgorithmName.SHA256),
        ["payload JSON null"] = s => HandMadeJwt.SignHmac(Parts(s.Attacker.Token)[0], HandMadeJwt.EncodeText("null"), s.AttackerKey, HashAlgorithmName.SHA256),
        ["header a JSON array"] = s => HandMadeJwt.SignHmac(HandMadeJwt.EncodeText("[\"HS256\"]"), Parts(s.Attacker.Token)[1], s.AttackerKey, HashAlgorithmName.SHA256),
        ["payload not UTF-8"] = s => HandMadeJwt.SignHmac(Parts(s.Attacker.Token)[0], Base64Url.EncodeToString([0x7b, 0xff, 0xfe, 0x7d]), s.AttackerKey, HashAlgorithmName.SHA256),
        ["payload nested 10,000 levels deep"] = s =>
            HandMadeJwt.SignHmac(Parts(s.Attacker.Token)[0], HandMadeJwt.EncodeText($"{{\"a\":{new string('[', 10_000)}{new string(']', 10_000)}}}"), s.AttackerKey, HashAlgorithmName.SHA256),
        ["header nested 10,000 levels deep"] = s =>
            HandMadeJwt.SignHmac(HandMadeJwt.EncodeText($"{{\"alg\":\"HS256\",\"x\":{new string('[', 10_000)}{new string(']', 10_000)}}}"), Parts(s.Attacker.Token)[1], s.AttackerKey, HashAlgorithmName.SHA256),
        ["two parts"] = s => string.Join('.', Parts(s.Attacker.Token)[..2]),
        ["four parts"] = s => $"{s.Attacker.Token}.{Parts(s.Attacker.Token)[2]}",
        ["five parts, shaped as a JWE with alg dir"] = s =>
            $"{HandMadeJwt.Encode(new JsonObject { ["alg"] = "dir", ["enc"] = "A256GCM", ["kid"] = s.AttackerKeyId })}..{Base64Url.EncodeToString(new byte[12])}.{Parts(s.Attacker.Token)[1]}.{Base64Url.EncodeToString(new byte[16])}",
        ["six parts"] = s => $"{s.Attacker.Token}.{Parts(s.Attacker.Token)[1]}.{Parts(s.Attacker.Token)[2]}.x",
        ["only dots"] = _ => "...",
        ["letters with dots"] = _ => "abc.def.ghi",
        ["a header and payload with no signature part"] = _ => "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ",
        ["words with spaces"] = _ => "not a jwt at all",
        ["a space inside the token"] = s => s.Attacker.Token.Insert(20, " "),
        ["the token twice, comma-separated"] = s => $"{s.Attacker.Token},{s.Attacker.Token}",
        ["the permanent token instead of the JWT"] = s => s.Attacker.PermanentToken!,
    };

    /// <summary>Claims of the wrong type or shape, signed with the device's own key so that only the shape is wrong.</summary>
    public static readonly IReadOnlyDictionary<string, Func<AttackScene, string>> WrongClaimTypes = new Dictionary<string, Func<AttackScene, string>>
    {
        ["exp a string of words"] = s => Resigned(s, "exp", "soon"),
        ["exp null"] = s => Resigned(s, "exp", null),
        ["exp -1"] = s => Resigned(s, "exp", -1),
        ["exp 0"] = s => Resigned(s, "exp", 0),
        ["exp beyond the year 9999"] = s => Resigned(s, "exp", 1e20),
        ["exp an object"] = s => Resigned(s, "exp", new JsonObject { ["seconds"] = 1 }),
        ["nbf a string of words"] = s => Resigned(s, "nbf", "now"),
        ["nbf beyond the year 9999"] = s => Resigned(s, "nbf", 1e20),
        ["device_id empty"] = s => Resigned(s, "device_id", string.Empty),
        ["device_id negative"] = s => Resigned(s, "device_id", "-1"),
        ["device_id with a leading space"] = s => Resigned(s, "device_id", $" {s.AttackerPayload["device_id"]}"),
        ["device_id over 64 bits"] = s => Resigned(s, "device_id", "99999999999999999999999"),
        ["device_id letters"] = s => Resigned(s, "device_id", "abc"),
        ["device_id an array"] = s => Resigned(s, "device_id", new JsonArray(s.AttackerPayload["device_id"]!.DeepClone())),
        ["device_id an object"] = s => Resigned(s, "device_id", new JsonObject { ["id"] = s.AttackerPayload["device_id"]!.DeepClone() }),
        ["device_id null"] = s => Resigned(s, "device_id", null),
        ["device_id removed"] = s => HandMadeJwt.Sign(Without(s.AttackerPayload, "device_id"), s.AttackerKey, keyId: s.AttackerKeyId),
        ["user_id null"] = s => Resigned(s, "user_id", null),
        ["user_id true"] = s => Resigned(s, "user_id", true),
        ["user_id an array"] = s => Resigned(s, "user_id", new JsonArray(s.AttackerPayload["user_id"]!.DeepClone())),
        ["user_id an object"] = s => Resigned(s, "user_id", new JsonObject { ["id"] = s.AttackerPayload["user_id"]!.DeepClone() }),
        ["user_id a fraction"] = s => Resigned(s, "user_id", s.AttackerPayload["user_id"]!.GetValue<long>() + 0.5),
        ["user_id removed"] = s => HandMadeJwt.Sign(Without(s.AttackerPayload, "user_id"), s.AttackerKey, keyId: s.AttackerKeyId),
    };

    /// <summary>Tokens far larger than any we issue.</summary>
    public static readonly IReadOnlyDictionary<string, Func<AttackScene, string>> Oversized = new Dictionary<string, Func<AttackScene, string>>
    {
        ["a 5,000-character random token"] = _ => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.", 5000),
        ["a token one character over the reader's limit"] = s => Padded(s, 250_001),
        ["a 1 MB token"] = s => Padded(s, 1024 * 1024),
        ["a 4 MB token"] = s => Padded(s, 4 * 1024 * 1024),
        ["a 200 KB kid"] = s => HandMadeJwt.Sign(s.AttackerPayload, s.AttackerKey, keyId: new string('A', 200 * 1024)),
        ["a 200 KB header field"] = s => HandMadeJwt.SignHmac(With(Header("HS256", s.AttackerKeyId), "x", new string('A', 200 * 1024)), s.AttackerPayload, s.AttackerKey, HashAlgorithmName.SHA256),
        ["a payload of 20,000 claims"] = s =>
        {
            var payload = s.AttackerPayload;
            for (var i = 0; i < 20_000; i++)
            {
                payload[$"c{i}"] = i;
            }
            return HandMadeJwt.WithPayload(s.Attacker.Token, payload);
        },
    };

    private static JsonObject Header(string algorithm, string? keyId)
    {
        var header = new JsonObject { ["alg"] = algorithm, ["typ"] = "JWT" };
        if (keyId is not null)
        {
            header["kid"] = keyId;
        }
        return header;
    }

    private static string[] Parts(string token) => token.Split('.');

    private static JsonObject With(JsonObject json, string name, JsonNode? value)
    {
        json[name] = value?.Parent is null ? value : value.DeepClone();
        return json;
    }

    private static JsonObject Without(JsonObject json, string name)
    {
        json.Remove(name);
        return json;
    }

    // The attacker's token with one claim changed and its genuine signature kept.
    private static string Tampered(AttackScene s, string claim, JsonNode? value) => HandMadeJwt.WithPayload(s.Attacker.Token, With(s.AttackerPayload, claim, value));

    // The attacker's token with one claim changed, signed again with the device's real key.
    private static string Resigned(AttackScene s, string claim, JsonNode? value) =>
        HandMadeJwt.Sign(With(s.AttackerPayload, claim, value), s.AttackerKey, keyId: s.AttackerKeyId);

    // The genuine token with a payload claim that pads it to the length.
    private static string Padded(AttackScene s, int length)
    {
        var token = s.Attacker.Token;
        var padding = new string('A', Math.Max(0, length - token.Length - 16));
        var padded = HandMadeJwt.WithPayload(token, With(s.AttackerPayload, "pad", padding));
        return padded.Length >= length ? padded : padded + new string('A', length - padded.Length);
    }

    private static JsonObject RsaJwk()
    {
        var parameters = s_attackerRsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["kid"] = "attacker-key",
            ["n"] = Base64Url.EncodeToString(parameters.Modulus),
            ["e"] = Base64Url.EncodeToString(parameters.Exponent),
        };
    }

    private static string SelfSignedCertificate()
    {
        var request = new CertificateRequest("CN=attacker.example", s_attackerRsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return Convert.ToBase64String(certificate.RawData);
    }
}
