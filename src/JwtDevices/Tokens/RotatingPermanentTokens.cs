using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace JwtDevices.Tokens;

/// <summary>
/// Makes the permanent tokens of rotation. A successor is derived, not stored: an HMAC of the token it
/// replaces, under a key derived from the master key and the device's salt, with the new generation. So a
/// retried refresh of the replaced token gets the same successor again, while the database keeps only
/// hashes: without the token a client holds, a dump redeems nothing. Each token also carries a tag that
/// proves the server made it for its device and generation, so that only a genuine retired token, not any
/// text naming a device, counts as reuse and revokes the device.
/// </summary>
internal sealed class RotatingPermanentTokens
{
    /// <summary>Length of a body: base64url, without padding, of a 256-bit secret and a 128-bit tag.</summary>
    internal static readonly int BodyLength = Base64Url.GetEncodedLength(SecretBytes + TagBytes);

    private const int SecretBytes = 32;
    private const int TagBytes = 16;

    // Binds derived keys to this purpose alone.
    private static readonly byte[] s_keyInfo = "JwtDevices permanent token rotation v1"u8.ToArray();

    // Newest first: new tokens use the first; the others still prove and re-derive tokens made before a key rotation.
    private readonly byte[][] _masterKeys;

    public RotatingPermanentTokens(IOptions<JwtDevicesOptions> options)
    {
        _masterKeys = JwtDevicesOptionsValidator.DecodeMasterKeys(options.Value);
        if (_masterKeys.Length == 0)
        {
            throw new OptionsValidationException(JwtDevicesDefaults.ConfigurationSection, typeof(JwtDevicesOptions),
                ["JwtDevices:SigningKey (or each of JwtDevices:SigningKeys) must be a base64 key of at least 256 bits."]);
        }
    }

    /// <summary>A first token (generation 0) for a new device with this salt: a random secret and its tag.</summary>
    /// <returns>The token's body, to be hashed before the device exists and prefixed once it has an id.</returns>
    public string CreateBody(byte[] keySalt) => Encode(KeyOf(_masterKeys[0], keySalt), 0, RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>
    /// The successor, at <paramref name="generation"/>, of a token whose body (or whole text, for a seed-form
    /// token) is <paramref name="presented"/>. The same inputs always give the same successor.
    /// </summary>
    public string DeriveBody(byte[] keySalt, string presented, long generation) =>
        Successor(KeyOf(_masterKeys[0], keySalt), presented, generation);

    /// <summary>
    /// The successor already stored (its hash is <paramref name="storedHash"/>) of a token just replaced: derived
    /// under the newest master key, or under an older one still listed when the keys rotated in between.
    /// </summary>
    /// <returns>The successor's body, or <see langword="null"/> when no listed key derives it.</returns>
    public string? FindStoredSuccessor(byte[] keySalt, string presented, long generation, byte[] storedHash)
    {
        foreach (var masterKey in _masterKeys)
        {
            var body = Successor(KeyOf(masterKey, keySalt), presented, generation);
            if (CryptographicOperations.FixedTimeEquals(Hash(body), storedHash))
            {
                return body;
            }
        }
        return null;
    }

    /// <summary>Whether the server made this body for a device with this salt, at this generation.</summary>
    public bool IsGenuine(byte[] keySalt, RotatedPermanentToken token)
    {
        Span<byte> bytes = stackalloc byte[SecretBytes + TagBytes];
        if (!Base64Url.TryDecodeFromChars(token.Body, bytes, out var written) || written != bytes.Length)
        {
            return false;
        }
        foreach (var masterKey in _masterKeys)
        {
            if (CryptographicOperations.FixedTimeEquals(Tag(KeyOf(masterKey, keySalt), token.Generation, bytes[..SecretBytes]), bytes[SecretBytes..]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>SHA-256 of a body: what the store keeps of a rotating token.</summary>
    public static byte[] Hash(string body) => SHA256.HashData(Encoding.UTF8.GetBytes(body));

    private static byte[] KeyOf(byte[] masterKey, byte[] keySalt) => HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, keySalt, s_keyInfo);

    private static string Successor(byte[] key, string presented, long generation)
    {
        var message = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"next\n{generation}\n{presented}"));
        return Encode(key, generation, HMACSHA256.HashData(key, message));
    }

    private static string Encode(byte[] key, long generation, ReadOnlySpan<byte> secret)
    {
        Span<byte> bytes = stackalloc byte[SecretBytes + TagBytes];
        secret.CopyTo(bytes);
        Tag(key, generation, secret).CopyTo(bytes[SecretBytes..]);
        return Base64Url.EncodeToString(bytes);
    }

    private static byte[] Tag(byte[] key, long generation, ReadOnlySpan<byte> secret)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"tag\n{generation}\n"));
        var message = new byte[prefix.Length + secret.Length];
        prefix.CopyTo(message, 0);
        secret.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, message)[..TagBytes];
    }
}
