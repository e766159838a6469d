using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using JwtDevices.Devices;

namespace JwtDevices.StackExchangeRedis;

/// <summary>
/// The wire format of one batch of revocations on the channel, version 1:
/// <c>{"v":1,"revocations":[{"device_id":42,"revoked_at":1764470000123456,"reason":1}]}</c>, with
/// <c>revoked_at</c> in Unix microseconds and <c>reason</c> a <see cref="DeviceRevocationReason"/> number.
/// It carries nothing secret. Readers skip members they do not know, so later versions may add some.
/// </summary>
internal static partial class RevocationMessage
{
    public const int Version = 1;

    private static readonly long MaxUnixMicroseconds = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static byte[] Serialize(IReadOnlyList<DeviceRevocation> revocations)
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
        return JsonSerializer.SerializeToUtf8Bytes(new WireMessage(Version, entries), WireContext.Default.WireMessage);
    }

    /// <summary>Reads a message; false, with nothing read, for anything that is not a whole valid version 1 message.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out IReadOnlyList<DeviceRevocation>? revocations)
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
        if (message is not { V: Version, Revocations: { } entries })
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

    internal sealed record WireMessage(int V, WireEntry[]? Revocations);

    internal sealed record WireEntry(long DeviceId, long RevokedAt, int Reason);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(WireMessage))]
    internal sealed partial class WireContext : JsonSerializerContext;
}
