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

    /// <summary>A token with this payload, signed by HMAC with the key (HS256 or HS512), naming <paramref name="keyId"/> if given.</summary>
    public static string Sign(JsonObject payload, byte[] key, string algorithm = "HS256", string? keyId = null)
    {
        var header = new JsonObject { ["alg"] = algorithm, ["typ"] = "JWT" };
        if (keyId is not null)
        {
            header["kid"] = keyId;
        }
        var signingInput = $"{Encode(header)}.{Encode(payload)}";
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = algorithm switch
        {
            "HS256" => HMACSHA256.HashData(key, data),
            "HS512" => HMACSHA512.HashData(key, data),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Only HS256 and HS512 are made here."),
        };
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

    private static string Encode(JsonNode json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));

    private static JsonObject Part(string token, int index) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[index]))!.AsObject();
}
