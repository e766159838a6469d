using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace JwtDevices.Dpop;

/// <summary>
/// Server nonces (RFC 9449 §8) kept by no one: a nonce is its time window's number and an HMAC of it, under a
/// key derived (HKDF-SHA256) from each master key for this purpose alone, so every node that shares the master
/// keys makes and accepts the same nonces. A nonce is good during its window and the next one.
/// </summary>
internal sealed class DpopNonces
{
    private const int WindowBytes = sizeof(long);
    private const int MacBytes = 16;

    // Binds derived keys to this purpose alone.
    private static readonly byte[] s_keyInfo = "JwtDevices DPoP nonce v1"u8.ToArray();

    private readonly byte[][] _keys;
    private readonly long _windowTicks;
    private readonly TimeProvider _time;
    // Replaced whole, so that a reader never sees one window's number with another's nonce.
    private volatile WindowNonce _current = new(long.MinValue, "");

    public DpopNonces(IOptions<JwtDevicesOptions> options, IOptions<JwtDevicesDpopOptions> dpopOptions, TimeProvider time)
    {
        _keys = Array.ConvertAll(JwtDevicesOptionsValidator.DecodeMasterKeys(options.Value),
            masterKey => HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: s_keyInfo));
        _windowTicks = dpopOptions.Value.NonceLifetime.Ticks;
        _time = time;
    }

    /// <summary>The nonce of the current window, made once per window.</summary>
    public string Current
    {
        get
        {
            var window = Window();
            var current = _current;
            if (current.Window != window)
            {
                current = new WindowNonce(window, Make(_keys[0], window));
                _current = current;
            }
            return current.Nonce;
        }
    }

    /// <summary>Whether the nonce was made by a node of this deployment, for this window or the one before.</summary>
    public bool IsValid(string? nonce)
    {
        Span<byte> bytes = stackalloc byte[WindowBytes + MacBytes];
        if (nonce is null || Base64Url.GetMaxDecodedLength(nonce.Length) < bytes.Length
            || !Base64Url.TryDecodeFromChars(nonce, bytes, out var written) || written != bytes.Length)
        {
            return false;
        }
        var window = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var now = Window();
        if (window != now && window != now - 1)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[MacBytes];
        var found = false;
        foreach (var key in _keys)
        {
            Mac(key, bytes[..WindowBytes], expected);
            found |= CryptographicOperations.FixedTimeEquals(expected, bytes[WindowBytes..]);
        }
        return found;
    }

    private long Window() => _time.GetUtcNow().UtcTicks / _windowTicks;

    private static string Make(byte[] key, long window)
    {
        Span<byte> bytes = stackalloc byte[WindowBytes + MacBytes];
        BinaryPrimitives.WriteInt64BigEndian(bytes, window);
        Mac(key, bytes[..WindowBytes], bytes[WindowBytes..]);
        return Base64Url.EncodeToString(bytes);
    }

    private static void Mac(byte[] key, ReadOnlySpan<byte> window, Span<byte> destination)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, window, mac);
        mac[..MacBytes].CopyTo(destination);
    }

    private sealed record WindowNonce(long Window, string Nonce);
}
