using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tokens;

/// <summary>Makes permanent tokens and the hashes that stand for them at rest.</summary>
internal static class PermanentTokens
{
    internal const int TokenBytes = 32;
    internal const int SaltBytes = 32;

    // Longer input cannot be one of ours; refusing it early keeps hashing cheap.
    private const int MaximumTokenLength = 256;

    /// <summary>Returns a new token of 256 random bits, base64url without padding (43 characters).</summary>
    public static string Create() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>Returns a new random salt for a device's signing key.</summary>
    public static byte[] CreateSalt() => RandomNumberGenerator.GetBytes(SaltBytes);

    /// <summary>
    /// SHA-256 of the token. The token holds 256 random bits, so a fast unsalted hash cannot be reversed
    /// or guessed, and it lets the store look the device up by the hash alone.
    /// </summary>
    public static byte[]? TryHash(string token)
    {
        if (token.Length is 0 or > MaximumTokenLength)
        {
            return null;
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }
}
