using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace JwtDevices.Tests.BadInput;

/// <summary>Builds and takes apart JWTs by hand, to make the tokens an attacker would send.</summary>
internal static class HandMadeJwt
{
    /// <summary>The payload of a token, decoded, to copy or change.</summary>
    public static JsonObject Payload(string token) => Part(token, 1);

    /// <summary>The header of a token, decoded.</summary>
    public static JsonObject Header(string token) => Part(token, 0);

    /// <summary>The encoded signature of a token (its third part).</summary>
    public static string Signature(string token) => token.Split('.')[2];

    /// <summary>A token with this payload, signed by HMAC with the key (HS256, HS384 or HS512), naming <paramref name="keyId"/> if given.</summary>
    public static string Sign(JsonObject payload, byte[] key, string algorithm = "HS256", string? keyId = null)
    {
        var header = new JsonObject { ["alg"] = algorithm, ["typ"] = "JWT" };
        if (keyId is not null)
        {
            header["kid"] = keyId;
        }
        var hash = algorithm switch
        {
            "HS256" => HashAlgorithmName.SHA256,
            "HS384" => HashAlgorithmName.SHA384,
            "HS512" => HashAlgorithmName.SHA512,
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Only HS256, HS384 and HS512 are made here."),
        };
        return SignHmac(header, payload, key, hash);
    }

    /// <summary>
    /// A token with exactly this header and payload, its signature an HMAC with <paramref name="hash"/>
    /// whatever the header's <c>alg</c> says (to present a symmetric key as if it were a public key).
    /// </summary>
    public static string SignHmac(JsonObject header, JsonObject payload, byte[] key, HashAlgorithmName hash) =>
        SignHmac(Encode(header), Encode(payload), key, hash);

    /// <summary>As <see cref="SignHmac(JsonObject, JsonObject, byte[], HashAlgorithmName)"/>, over parts already encoded.</summary>
    public static string SignHmac(string encodedHeader, string encodedPayload, byte[] key, HashAlgorithmName hash)
    {
        var data = Encoding.ASCII.GetBytes($"{encodedHeader}.{encodedPayload}");
        var signature = hash.Name switch
        {
            "SHA256" => HMACSHA256.HashData(key, data),
            "SHA384" => HMACSHA384.HashData(key, data),
            "SHA512" => HMACSHA512.HashData(key, data),
            _ => throw new ArgumentOutOfRangeException(nameof(hash), hash.Name, "Only SHA-2 HMACs are made here."),
        };
        return $"{encodedHeader}.{encodedPayload}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>A token with exactly this header and payload, signed RS256 with <paramref name="rsa"/>.</summary>
    public static string SignRsa(JsonObject header, JsonObject payload, RSA rsa)
    {
        var signingInput = $"{Encode(header)}.{Encode(payload)}";
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>A token with <c>alg: none</c> and an empty signature.</summary>
    public static string Unsigned(JsonObject payload) =>
        $"{Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" })}.{Encode(payload)}.";

    /// <summary>The token with its header replaced and its signature kept.</summary>
    public static string WithHeader(string token, JsonObject header)
    {
        var parts = token.Split('.');
        return $"{Encode(header)}.{parts[1]}.{parts[2]}";
    }

    /// <summary>The token with its payload replaced and its signature kept.</summary>
    public static string WithPayload(string token, JsonObject payload)
    {
        var parts = token.Split('.');
        return $"{parts[0]}.{Encode(payload)}.{parts[2]}";
    }

    /// <summary>The token with its signature replaced by <paramref name="encodedSignature"/>.</summary>
    public static string WithSignature(string token, string encodedSignature)
    {
        var parts = token.Split('.');
        return $"{parts[0]}.{parts[1]}.{encodedSignature}";
    }

    /// <summary>JSON, base64url-encoded as a token part.</summary>
    public static string Encode(JsonNode json) => EncodeText(json.ToJsonString());

    /// <summary>Any text, base64url-encoded as a token part (to send parts that are not JSON).</summary>
    public static string EncodeText(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static JsonObject Part(string token, int index) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[index]))!.AsObject();
}
