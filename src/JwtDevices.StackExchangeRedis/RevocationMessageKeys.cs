using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace JwtDevices.StackExchangeRedis;

/// <summary>
/// The keys that authenticate revocation messages: HKDF-SHA256 of each master key, for this purpose alone,
/// so every node that shares the master keys shares them, and a message proves nothing else. A message is
/// signed under each listed key (at most <see cref="MaxMacs"/>, newest first) and accepted under any, so
/// nodes keep hearing each other while a rotation of <c>JwtDevices:SigningKeys</c> rolls out.
/// </summary>
internal sealed class RevocationMessageKeys
{
    /// <summary>The most MACs a message carries, and so the most keys it is signed under.</summary>
    public const int MaxMacs = 4;

    /// <summary>Length of one MAC: base64url, without padding, of HMAC-SHA256.</summary>
    public static readonly int MacLength = Base64Url.GetEncodedLength(HMACSHA256.HashSizeInBytes);

    // Binds derived keys to this purpose alone; v2 is the message format they authenticate.
    private static readonly byte[] s_keyInfo = "JwtDevices revocation message v2"u8.ToArray();

    private readonly byte[][] _keys;
    private readonly byte[] _channel;

    public RevocationMessageKeys(JwtDevicesOptions options, string channel)
    {
        var masterKeys = JwtDevicesOptionsValidator.DecodeMasterKeys(options);
        if (masterKeys.Length == 0)
        {
            throw new OptionsValidationException(JwtDevicesDefaults.ConfigurationSection, typeof(JwtDevicesOptions),
                ["JwtDevices:SigningKey (or each of JwtDevices:SigningKeys) must be a base64 key of at least 256 bits."]);
        }
        _keys = Array.ConvertAll(masterKeys, masterKey => HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: s_keyInfo));
        // A message is bound to its channel: deployments on one Redis and one key cannot take each other's.
        _channel = Encoding.UTF8.GetBytes(channel + "\n");
    }

    /// <summary>The MACs of a payload, newest key first.</summary>
    public IEnumerable<string> Sign(byte[] payload) =>
        _keys.Take(MaxMacs).Select(key => Base64Url.EncodeToString(Mac(key, payload)));

    /// <summary>
    /// Whether one of <paramref name="macs"/> (each <see cref="MacLength"/> bytes, followed by a dot) is the MAC
    /// of <paramref name="payload"/> under one of this node's keys; compared in constant time.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> macs)
    {
        Span<byte> expected = stackalloc byte[MacLength];
        var found = false;
        foreach (var key in _keys)
        {
            Base64Url.EncodeToUtf8(Mac(key, payload), expected);
            for (var offset = 0; offset < macs.Length; offset += MacLength + 1)
            {
                found |= CryptographicOperations.FixedTimeEquals(expected, macs.Slice(offset, MacLength));
            }
        }
        return found;
    }

    private byte[] Mac(byte[] key, ReadOnlySpan<byte> payload)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(_channel);
        hmac.AppendData(payload);
        return hmac.GetHashAndReset();
    }
}
