using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using JwtDevices.Devices;
using JwtDevices.Revocation;

namespace JwtDevices.StackExchangeRedis;

/// <summary>
/// The wire format of one batch of revocations on the channel, version 2:
/// <c>v2.{mac}[.{mac}…].{"revocations":[{"device_id":42,"revoked_at":1764470000123456,"reason":1}]}</c>, with
/// <c>revoked_at</c> in Unix microseconds and <c>reason</c> a <see cref="DeviceRevocationReason"/> number. Each
/// MAC is base64url HMAC-SHA256, under a key of <see cref="RevocationMessageKeys"/>, of the channel's name, a
/// line feed and the JSON exactly as sent. It carries nothing secret. Readers skip JSON members they do not
/// know, so later versions may add some. Version 1 was the JSON alone, with <c>"v":1</c>, and is refused.
/// </summary>
internal static partial class RevocationMessage
{
    /// <summary>
    /// The most bytes a message may have, read before anything is parsed or hashed: the longest possible
    /// 1,000 entries take 86 KB.
    /// </summary>
    public const int MaxBytes = 128 * 1024;

    private static readonly long MaxUnixMicroseconds = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static ReadOnlySpan<byte> Prefix => "v2."u8;

    public static byte[] Serialize(IReadOnlyList<DeviceRevocation> revocations, RevocationMessageKeys keys)
    {
        var entries = new WireEntry[revocations.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var revocation = revocations[i];
            entries[i] = new WireEntry(
                revocation.DeviceId,
                (revocation.RevokedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10,
                (int)revocation.Reason);
        }
        var payload = JsonSerializer.SerializeToUtf8Bytes(new WireMessage(entries), WireContext.Default.WireMessage);
        var header = Encoding.ASCII.GetBytes($"v2.{string.Concat(keys.Sign(payload).Select(mac => mac + "."))}");
        return [.. header, .. payload];
    }

    /// <summary>Reads and authenticates a message; false, with nothing read and the reason in <paramref name="refusal"/>, for anything else.</summary>
    public static bool TryRead(
        ReadOnlySpan<byte> message,
        RevocationMessageKeys keys,
        [NotNullWhen(true)] out IReadOnlyList<DeviceRevocation>? revocations,
        out RevocationMessageRefusal refusal)
    {
        revocations = null;
        refusal = Check(message, keys, out var payloadStart) ?? (TryParse(message[payloadStart..], out revocations) ? default : RevocationMessageRefusal.Malformed);
        return revocations is not null;
    }

    // Null when the message is authentic, with its payload from payloadStart.
    private static RevocationMessageRefusal? Check(ReadOnlySpan<byte> message, RevocationMessageKeys keys, out int payloadStart)
    {
        payloadStart = 0;
        if (message.Length > MaxBytes)
        {
            return RevocationMessageRefusal.TooLarge;
        }
        if (!message.StartsWith(Prefix))
        {
            // A version 1 message (an older node's, or anyone's) proves nothing about its sender.
            return message.StartsWith("{"u8) ? RevocationMessageRefusal.Unauthenticated : RevocationMessageRefusal.Malformed;
        }
        var rest = message[Prefix.Length..];
        var macsLength = rest.IndexOf((byte)'{');
        var macLength = RevocationMessageKeys.MacLength + 1;
        if (macsLength < macLength || macsLength % macLength != 0 || macsLength / macLength > RevocationMessageKeys.MaxMacs)
        {
            return RevocationMessageRefusal.Malformed;
        }
        var macs = rest[..macsLength];
        for (var dot = macLength - 1; dot < macs.Length; dot += macLength)
        {
            if (macs[dot] != (byte)'.')
            {
                return RevocationMessageRefusal.Malformed;
            }
        }
        payloadStart = Prefix.Length + macsLength;
        return keys.Verify(message[payloadStart..], macs) ? null : RevocationMessageRefusal.Unauthenticated;
    }

    // False, with nothing read, for anything that is not a whole valid payload.
    private static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out IReadOnlyList<DeviceRevocation>? revocations)
    {
        revocations = null;
        WireMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(utf8, WireContext.Default.WireMessage);
        }
        catch (JsonException)
        {
            return false;
        }
        if (message is not { Revocations: { } entries })
        {
            return false;
        }

        var result = new DeviceRevocation[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i] is not { DeviceId: > 0, RevokedAt: > 0, Reason: > 0 } entry || entry.RevokedAt > MaxUnixMicroseconds)
            {
                return false;
            }
            // A reason this version does not know is kept as its number: the device is refused all the same.
            result[i] = new DeviceRevocation
            {
                DeviceId = entry.DeviceId,
                RevokedAt = DateTimeOffset.UnixEpoch.AddTicks(entry.RevokedAt * 10),
                Reason = (DeviceRevocationReason)entry.Reason,
            };
        }
        revocations = result;
        return true;
    }

    internal sealed record WireMessage(WireEntry[]? Revocations);

    internal sealed record WireEntry(long DeviceId, long RevokedAt, int Reason);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(WireMessage))]
    internal sealed partial class WireContext : JsonSerializerContext;
}
