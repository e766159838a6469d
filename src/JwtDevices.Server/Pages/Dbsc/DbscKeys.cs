using System.Security.Cryptography;

namespace JwtDevices.Server.Pages.Dbsc;

/// <summary>
/// HMAC keys for one DBSC purpose, derived (HKDF-SHA256) from each master key, so that every node sharing the
/// master keys makes and accepts the same values, and a key retired from signing still checks what it made.
/// </summary>
internal static class DbscKeys
{
    public static byte[][] Derive(JwtDevicesOptions options, string purpose)
    {
        var info = System.Text.Encoding.ASCII.GetBytes($"JwtDevices DBSC {purpose} v1");
        return Array.ConvertAll(JwtDevicesOptionsValidator.DecodeMasterKeys(options),
            masterKey => HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: info));
    }

    /// <summary>Whether <paramref name="mac"/> is the (truncated) HMAC of <paramref name="data"/> under any of the keys.</summary>
    public static bool Verify(byte[][] keys, ReadOnlySpan<byte> data, ReadOnlySpan<byte> mac)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var found = false;
        foreach (var key in keys)
        {
            HMACSHA256.HashData(key, data, expected);
            found |= CryptographicOperations.FixedTimeEquals(expected[..mac.Length], mac);
        }
        return found;
    }

    public static void Sign(byte[] key, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, data, full);
        full[..mac.Length].CopyTo(mac);
    }
}
