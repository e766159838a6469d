using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// Revocation messages written by hand, as another node (or an attacker with a Redis client) would: the
/// format of version 2 spelled out here, apart from the product's code, so the tests pin the wire.
/// </summary>
internal static class SignedRevocationMessages
{
    /// <summary><c>v2.{mac}.{payload}</c>, the MAC under the key derived from <paramref name="signingKey"/>.</summary>
    public static string Version2(string signingKey, string channel, string payload) => $"v2.{Mac(signingKey, channel, payload)}.{payload}";

    /// <summary>Base64url HMAC-SHA256 of the channel, a line feed and the payload, under HKDF(master key, "JwtDevices revocation message v2").</summary>
    public static string Mac(string signingKey, string channel, string payload)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(signingKey), 32, info: "JwtDevices revocation message v2"u8.ToArray());
        return Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{channel}\n{payload}")));
    }

    /// <summary>A payload naming these devices, revoked at <paramref name="revokedAt"/> (reason 1, logged out).</summary>
    public static string Payload(DateTimeOffset revokedAt, params IEnumerable<long> deviceIds)
    {
        var micros = (revokedAt - DateTimeOffset.UnixEpoch).Ticks / 10;
        var entries = deviceIds.Select(id => string.Create(CultureInfo.InvariantCulture, $"{{\"device_id\":{id},\"revoked_at\":{micros},\"reason\":1}}"));
        return $"{{\"revocations\":[{string.Join(',', entries)}]}}";
    }

    /// <summary>The same batch as version 1 wrote it, with no authentication.</summary>
    public static string Version1(DateTimeOffset revokedAt, params IEnumerable<long> deviceIds) =>
        "{\"v\":1," + Payload(revokedAt, deviceIds)[1..];
}
