using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using JwtDevices.Dpop;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Pages.Dbsc;

/// <summary>
/// The challenges a browser signs, kept by no one: a challenge is the device's id, its time window, 16 random
/// bytes and an HMAC of them, good in its window and the next one. Each is taken once: in this node's bounded
/// memory, then, when Redis is configured, across nodes through the shared replay store (one <c>SET NX</c>).
/// </summary>
internal sealed class DbscChallenges
{
    /// <summary>A challenge is good for one to two windows: enough for the browser to sign, short enough to be worthless later.</summary>
    internal static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private const int ReplayCacheSize = 100_000;
    private const int DataBytes = sizeof(long) + sizeof(long) + 16;
    private const int MacBytes = 16;

    private readonly byte[][] _keys;
    private readonly TimeProvider _time;
    private readonly DpopReplayCache _used = new(ReplayCacheSize);
    private readonly IDpopReplayStore? _store;

    public DbscChallenges(IOptions<JwtDevicesOptions> options, TimeProvider time, IEnumerable<IDpopReplayStore> stores)
    {
        _keys = DbscKeys.Derive(options.Value, "challenge");
        _time = time;
        _store = stores.LastOrDefault();
    }

    /// <summary>A fresh challenge for the device's session.</summary>
    public string Create(long deviceId)
    {
        Span<byte> bytes = stackalloc byte[DataBytes + MacBytes];
        BinaryPrimitives.WriteInt64BigEndian(bytes, deviceId);
        BinaryPrimitives.WriteInt64BigEndian(bytes[sizeof(long)..], CurrentWindow());
        RandomNumberGenerator.Fill(bytes[(2 * sizeof(long))..DataBytes]);
        DbscKeys.Sign(_keys[0], bytes[..DataBytes], bytes[DataBytes..]);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>
    /// Takes the challenge: the device it was made for, when it is genuine, in time and not taken before; otherwise
    /// <see langword="null"/> and why.
    /// </summary>
    public async ValueTask<(long? DeviceId, string? Failure)> TakeAsync(string? challenge, CancellationToken cancellationToken)
    {
        var bytes = new byte[DataBytes + MacBytes];
        if (challenge is null || challenge.Length > 128
            || !Base64Url.TryDecodeFromChars(challenge, bytes, out var written) || written != bytes.Length
            || !DbscKeys.Verify(_keys, bytes.AsSpan(0, DataBytes), bytes.AsSpan(DataBytes)))
        {
            return (null, DbscFailures.Challenge);
        }
        var window = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(sizeof(long)));
        var now = CurrentWindow();
        if (window != now && window != now - 1)
        {
            return (null, DbscFailures.Challenge);
        }

        var hash = SHA256.HashData(bytes);
        var forgetAt = (window + 2) * Window.Ticks;
        if (_used.TryAdd(BinaryPrimitives.ReadInt128BigEndian(hash), forgetAt, _time.GetUtcNow().UtcTicks) != DpopReplayOutcome.Added)
        {
            return (null, DbscFailures.Replayed);
        }
        if (_store is not null)
        {
            // Taken on another node, or unknown while the store is down: refused either way, as a replay could not be ruled out.
            var stored = await _store.TryAddAsync("dbsc" + Base64Url.EncodeToString(hash.AsSpan(0, 29)), 2 * Window, cancellationToken);
            if (stored != DpopReplayStoreResult.Added)
            {
                return (null, DbscFailures.Replayed);
            }
        }
        return (BinaryPrimitives.ReadInt64BigEndian(bytes), null);
    }

    private long CurrentWindow() => _time.GetUtcNow().UtcTicks / Window.Ticks;
}
