using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tokens;

/// <summary>
/// Derives a device's signing key from the master key, the device's salt (which every token names in
/// its <c>kid</c> header), the device's id and its user's id. Any node can so check a token's signature
/// with no I/O, and a forged token is refused before anything is looked up. The salt is not secret;
/// the master key is. Binding the ids means that even a leaked device key speaks only for its own
/// device and user. With several master keys (rotation), a token is checked against the device key of
/// each, newest first; signing uses the newest.
/// </summary>
internal sealed class DeviceKeys
{
    /// <summary>Bounds memory whatever key ids requests carry; a derivation costs a few microseconds.</summary>
    internal const int MaximumCachedKeys = 10_000;

    // Binds derived keys to their purpose. v2: named by kid and bound to the device and user ids.
    private const string Purpose = "JwtDevices device signing key v2";

    private const int KeyBytes = 32;

    // Ids of ordinary length are encoded on the stack.
    private const int StackInfoBytes = 256;

    private static readonly int s_keyIdLength = Base64Url.GetEncodedLength(PermanentTokens.SaltBytes);

    private readonly byte[][] _masterKeys;
    private readonly GenerationalCache<CachedKey> _cache = new(MaximumCachedKeys);
    private readonly SecondSight _seen = new(2 * MaximumCachedKeys);

    /// <param name="masterKeys">The master keys, newest first; at least one.</param>
    public DeviceKeys(byte[][] masterKeys) => _masterKeys = masterKeys;

    /// <summary>The signing key of these ids and salt under the newest master key, with the salt (base64url) as its key id.</summary>
    public SymmetricSecurityKey Derive(byte[] salt, string deviceId, string userId) =>
        Derive(_masterKeys[0], salt, deviceId, userId, Base64Url.EncodeToString(salt));

    /// <summary>
    /// The key a token's <c>kid</c>, <c>device_id</c> and <c>user_id</c> name; cached by kid from the
    /// second time it is derived on (<see cref="SecondSight"/>), since most requests carry the tokens of few devices.
    /// </summary>
    /// <returns>No key when the token cannot be one of ours, so nothing is derived for it.</returns>
    public SecurityKey[] Resolve(string? keyId, JsonWebToken token)
    {
        if (keyId is null || keyId.Length != s_keyIdLength
            || !token.TryGetPayloadValue<string>(JwtDevicesClaimTypes.DeviceId, out var deviceId)
            || UserIdOf(token) is not { } userId)
        {
            return [];
        }
        if (_cache.TryGet(keyId, out var cached) && cached.DeviceId == deviceId && cached.UserId == userId)
        {
            return cached.Keys;
        }
        // Other ids with a cached salt are most likely a forgery, which the key derived for them refuses. The
        // entry is replaced, never trusted: were the first ids seen for a salt kept and all others refused, a
        // forged token naming someone's salt could lock that device out.
        Span<byte> salt = stackalloc byte[PermanentTokens.SaltBytes];
        if (!Base64Url.TryDecodeFromChars(keyId, salt, out var written) || written != salt.Length)
        {
            return [];
        }
        var keys = new SecurityKey[_masterKeys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = Derive(_masterKeys[i], salt, deviceId, userId, keyId);
        }
        if (_seen.SeenBefore(keyId))
        {
            _cache.Set(keyId, new CachedKey(deviceId, userId, keys));
        }
        return keys;
    }

    /// <summary>The text of a token's <c>user_id</c>: a number for integer ids, else a string; null when it has none.</summary>
    internal static string? UserIdOf(JsonWebToken token)
    {
        if (token.TryGetPayloadValue<long>(JwtDevicesClaimTypes.UserId, out var number))
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }
        return token.TryGetPayloadValue<string>(JwtDevicesClaimTypes.UserId, out var text) ? text : null;
    }

    // HKDF-SHA256 of the master key with the salt, the info naming purpose and ids; no array but the key's own.
    private static DeviceSecurityKey Derive(byte[] masterKey, ReadOnlySpan<byte> salt, string deviceId, string userId, string keyId)
    {
        var infoLength = Encoding.UTF8.GetMaxByteCount(Purpose.Length + deviceId.Length + userId.Length + 2);
        var rented = infoLength > StackInfoBytes ? ArrayPool<byte>.Shared.Rent(infoLength) : null;
        try
        {
            Span<byte> buffer = rented is null ? stackalloc byte[StackInfoBytes] : rented;
            if (!Utf8.TryWrite(buffer, CultureInfo.InvariantCulture, $"{Purpose}\n{deviceId}\n{userId}", out var written))
            {
                throw new InvalidOperationException("The device key's info did not fit its buffer.");
            }
            var key = new byte[KeyBytes];
            HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, key, salt, buffer[..written]);
            return new DeviceSecurityKey(key, keyId);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private sealed record CachedKey(string DeviceId, string UserId, SecurityKey[] Keys);
}
