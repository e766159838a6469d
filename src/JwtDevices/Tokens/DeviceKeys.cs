using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using Microsoft.Extensions.ObjectPool;
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
/// <remarks>
/// A key is HKDF-SHA256's expand step (RFC 5869 §2.3) with the master key as its pseudorandom key and one
/// output block: <c>HMAC-SHA256(master key, info || 0x01)</c>, the info naming purpose, salt and ids. The
/// extract step may be left out for a key that is already uniformly random (§3.3), as a master key of at
/// least 256 random bits is; without it the HMAC's key is always a master key, so a keyed HMAC is kept for
/// each and a derivation costs one HMAC, not the four of a full HKDF with the salt as its key, on the path
/// every token of a device not cached takes. Keys derived the earlier way (<see cref="LegacyKeys"/>) still
/// check tokens issued before, until those expire.
/// </remarks>
internal sealed class DeviceKeys
{
    /// <summary>Bounds memory whatever key ids requests carry; a derivation costs about a microsecond.</summary>
    internal const int MaximumCachedKeys = 10_000;

    // Binds derived keys to their purpose. v3: HKDF-Expand of the master key; the salt is part of the info.
    private static readonly byte[] s_purpose = "JwtDevices device signing key v3\n"u8.ToArray();

    // The earlier derivation: full HKDF, the salt as HKDF's salt.
    private const string LegacyPurpose = "JwtDevices device signing key v2";

    private const int KeyBytes = 32;

    // Ids of ordinary length are encoded on the stack.
    private const int StackInfoBytes = 256;

    private static readonly int s_keyIdLength = Base64Url.GetEncodedLength(PermanentTokens.SaltBytes);

    private readonly byte[][] _masterKeys;
    // One keyed HMAC per master key, each used by one thread at a time.
    private readonly ObjectPool<IncrementalHash>[] _hmacs;
    private readonly GenerationalCache<CachedKey> _cache = new(MaximumCachedKeys);
    private readonly SecondSight _seen = new(2 * MaximumCachedKeys);

    /// <param name="masterKeys">The master keys, newest first; at least one.</param>
    public DeviceKeys(byte[][] masterKeys)
    {
        _masterKeys = masterKeys;
        _hmacs = [.. masterKeys.Select(masterKey => new DefaultObjectPool<IncrementalHash>(new KeyedHmacPolicy(masterKey)))];
    }

    /// <summary>The signing key of these ids and salt under the newest master key, with the salt (base64url) as its key id.</summary>
    public SymmetricSecurityKey Derive(byte[] salt, string deviceId, string userId) =>
        Derive(_hmacs[0], salt, deviceId, userId, Base64Url.EncodeToString(salt));

    /// <summary>
    /// The key a token's <c>kid</c>, <c>device_id</c> and <c>user_id</c> name; cached by kid from the
    /// second time it is derived on (<see cref="SecondSight"/>), since most requests carry the tokens of few devices.
    /// </summary>
    /// <returns>No key when the token cannot be one of ours, so nothing is derived for it.</returns>
    public SecurityKey[] Resolve(string? keyId, JsonWebToken token)
    {
        if (!TryReadIds(keyId, token, out var deviceId, out var userId))
        {
            return [];
        }
        if (_cache.TryGet(keyId!, out var cached) && cached.DeviceId == deviceId && cached.UserId == userId)
        {
            return cached.Keys;
        }
        // Other ids with a cached salt are most likely a forgery, which the key derived for them refuses. The
        // entry is replaced, never trusted: were the first ids seen for a salt kept and all others refused, a
        // forged token naming someone's salt could lock that device out.
        Span<byte> salt = stackalloc byte[PermanentTokens.SaltBytes];
        if (!TryDecodeSalt(keyId!, salt))
        {
            return [];
        }
        var keys = new SecurityKey[_masterKeys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = Derive(_hmacs[i], salt, deviceId, userId, keyId!);
        }
        if (_seen.SeenBefore(keyId))
        {
            _cache.Set(keyId!, new CachedKey(deviceId, userId, keys));
        }
        return keys;
    }

    /// <summary>
    /// The keys of the earlier derivation (full HKDF-SHA256, the salt as its salt) for the same names, never cached:
    /// asked only for a token the current keys refuse, which is one issued before the change, or a forgery.
    /// </summary>
    public SecurityKey[] LegacyKeys(string? keyId, JsonWebToken token)
    {
        Span<byte> salt = stackalloc byte[PermanentTokens.SaltBytes];
        if (!TryReadIds(keyId, token, out var deviceId, out var userId) || !TryDecodeSalt(keyId!, salt))
        {
            return [];
        }
        var keys = new SecurityKey[_masterKeys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = DeriveLegacy(_masterKeys[i], salt, deviceId, userId, keyId!);
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

    /// <summary>The earlier derivation of a device key, to make tokens as a node of an earlier version did; for tests.</summary>
    internal static byte[] DeriveLegacyKey(byte[] masterKey, byte[] salt, string deviceId, string userId) =>
        ((SymmetricSecurityKey)DeriveLegacy(masterKey, salt, deviceId, userId, Base64Url.EncodeToString(salt))).Key;

    private static bool TryReadIds(string? keyId, JsonWebToken token, out string deviceId, out string userId)
    {
        userId = null!;
        if (keyId is null || keyId.Length != s_keyIdLength
            || !token.TryGetPayloadValue(JwtDevicesClaimTypes.DeviceId, out deviceId) || UserIdOf(token) is not { } id)
        {
            deviceId = null!;
            return false;
        }
        userId = id;
        return true;
    }

    private static bool TryDecodeSalt(string keyId, Span<byte> salt) =>
        Base64Url.TryDecodeFromChars(keyId, salt, out var written) && written == salt.Length;

    // T(1) of HKDF-Expand: HMAC-SHA256(master key, purpose || salt || "\n" deviceId "\n" userId || 0x01).
    private static DeviceSecurityKey Derive(ObjectPool<IncrementalHash> hmacs, ReadOnlySpan<byte> salt, string deviceId, string userId, string keyId)
    {
        var infoLength = s_purpose.Length + salt.Length + Encoding.UTF8.GetMaxByteCount(deviceId.Length + userId.Length + 2) + 1;
        var rented = infoLength > StackInfoBytes ? ArrayPool<byte>.Shared.Rent(infoLength) : null;
        var hmac = hmacs.Get();
        try
        {
            Span<byte> buffer = rented is null ? stackalloc byte[StackInfoBytes] : rented;
            s_purpose.CopyTo(buffer);
            salt.CopyTo(buffer[s_purpose.Length..]);
            var length = s_purpose.Length + salt.Length;
            if (!Utf8.TryWrite(buffer[length..], CultureInfo.InvariantCulture, $"\n{deviceId}\n{userId}", out var written))
            {
                throw new InvalidOperationException("The device key's info did not fit its buffer.");
            }
            length += written;
            buffer[length++] = 1;
            hmac.AppendData(buffer[..length]);
            var key = new byte[KeyBytes];
            hmac.GetHashAndReset(key);
            return new DeviceSecurityKey(key, keyId);
        }
        finally
        {
            hmacs.Return(hmac);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // HKDF-SHA256 of the master key with the salt, the info naming purpose and ids.
    private static DeviceSecurityKey DeriveLegacy(byte[] masterKey, ReadOnlySpan<byte> salt, string deviceId, string userId, string keyId)
    {
        var info = Encoding.UTF8.GetBytes($"{LegacyPurpose}\n{deviceId}\n{userId}");
        var key = new byte[KeyBytes];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, key, salt, info);
        return new DeviceSecurityKey(key, keyId);
    }

    private sealed record CachedKey(string DeviceId, string UserId, SecurityKey[] Keys);

    // HMACs keyed with one master key; returned reset, since every use ends with GetHashAndReset.
    private sealed class KeyedHmacPolicy(byte[] masterKey) : PooledObjectPolicy<IncrementalHash>
    {
        public override IncrementalHash Create() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, masterKey);

        public override bool Return(IncrementalHash hmac) => true;
    }
}
