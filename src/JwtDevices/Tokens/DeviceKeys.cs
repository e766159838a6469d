using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
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
internal sealed class DeviceKeys : IDisposable
{
    /// <summary>Bounds memory whatever key ids requests carry; a derivation costs about a microsecond.</summary>
    internal const int MaximumCachedKeys = 10_000;

    // Binds derived keys to their purpose. v2: named by kid and bound to the device and user ids.
    private const string Purpose = "JwtDevices device signing key v2";

    private static readonly int s_keyIdLength = Base64Url.GetEncodedLength(PermanentTokens.SaltBytes);

    private readonly byte[][] _masterKeys;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaximumCachedKeys });
    private readonly MemoryCacheEntryOptions _entry = new() { Size = 1 };

    /// <param name="masterKeys">The master keys, newest first; at least one.</param>
    public DeviceKeys(byte[][] masterKeys) => _masterKeys = masterKeys;

    /// <summary>The signing key of these ids and salt under the newest master key, with the salt (base64url) as its key id.</summary>
    public SymmetricSecurityKey Derive(byte[] salt, string deviceId, string userId) =>
        Derive(_masterKeys[0], salt, Info(deviceId, userId), Base64Url.EncodeToString(salt));

    /// <summary>
    /// The key a token's <c>kid</c>, <c>device_id</c> and <c>user_id</c> name; cached by kid, since most
    /// requests carry the tokens of few devices.
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
        if (_cache.TryGetValue(keyId, out CachedKey? cached) && cached!.DeviceId == deviceId && cached.UserId == userId)
        {
            return cached.Keys;
        }
        // Other ids with a cached salt are most likely a forgery, which the key derived for them refuses. The
        // entry is replaced, never trusted: were the first ids seen for a salt kept and all others refused, a
        // forged token naming someone's salt could lock that device out.
        var salt = new byte[PermanentTokens.SaltBytes];
        if (!Base64Url.TryDecodeFromChars(keyId, salt, out var written) || written != salt.Length)
        {
            return [];
        }
        var info = Info(deviceId, userId);
        var keys = Array.ConvertAll<byte[], SecurityKey>(_masterKeys, masterKey => Derive(masterKey, salt, info, keyId));
        _cache.Set(keyId, new CachedKey(deviceId, userId, keys), _entry);
        return keys;
    }

    public void Dispose() => _cache.Dispose();

    private static byte[] Info(string deviceId, string userId) => Encoding.UTF8.GetBytes($"{Purpose}\n{deviceId}\n{userId}");

    private static DeviceSecurityKey Derive(byte[] masterKey, byte[] salt, byte[] info, string keyId) =>
        new(HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, salt, info), keyId);

    // user_id is a number for integer ids, else a string; its text is what the key is bound to.
    private static string? UserIdOf(JsonWebToken token)
    {
        if (token.TryGetPayloadValue<long>(JwtDevicesClaimTypes.UserId, out var number))
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }
        return token.TryGetPayloadValue<string>(JwtDevicesClaimTypes.UserId, out var text) ? text : null;
    }

    private sealed record CachedKey(string DeviceId, string UserId, SecurityKey[] Keys);
}
