using System.Text;
using JwtDevices.Devices;
using JwtDevices.StackExchangeRedis;

namespace JwtDevices.Tests.Unit;

/// <summary>The Redis message format: version 1, compact, nothing secret, and nothing but whole valid messages read.</summary>
public sealed class RedisRevocationMessageTests
{
    private static readonly DateTimeOffset RevokedAt = DateTimeOffset.UnixEpoch.AddTicks(17_644_700_001_234_560);

    [Fact]
    public void Serialize_WritesVersion1_WithMicroseconds()
    {
        var json = Encoding.UTF8.GetString(RevocationMessage.Serialize(
        [
            new DeviceRevocation { Id = 7, DeviceId = 42, RevokedAt = RevokedAt, Reason = DeviceRevocationReason.LoggedOut },
            new DeviceRevocation { DeviceId = 43, RevokedAt = RevokedAt, Reason = DeviceRevocationReason.UserDeleted },
        ]));

        Assert.Equal(
            """{"v":1,"revocations":[{"device_id":42,"revoked_at":1764470000123456,"reason":1},{"device_id":43,"revoked_at":1764470000123456,"reason":5}]}""",
            json);
    }

    [Fact]
    public void TryParse_ReadsWhatSerializeWrites()
    {
        var sent = Enum.GetValues<DeviceRevocationReason>()
            .Select((reason, i) => new DeviceRevocation { DeviceId = long.MaxValue - i, RevokedAt = RevokedAt.AddTicks(i * 10), Reason = reason })
            .ToArray();

        Assert.True(RevocationMessage.TryParse(RevocationMessage.Serialize(sent), out var received));

        Assert.Equal(
            sent.Select(r => (r.DeviceId, r.RevokedAt, r.Reason)),
            received.Select(r => (r.DeviceId, r.RevokedAt, r.Reason)));
    }

    [Fact]
    public void TryParse_SkipsUnknownMembers_AndKeepsUnknownReasons()
    {
        var json = """{"v":1,"node":"b","revocations":[{"device_id":9,"revoked_at":1764470000123456,"reason":99,"extra":[1]}]}""";

        Assert.True(RevocationMessage.TryParse(Encoding.UTF8.GetBytes(json), out var received));

        var revocation = Assert.Single(received);
        Assert.Equal(9, revocation.DeviceId);
        Assert.Equal(RevokedAt, revocation.RevokedAt);
        Assert.Equal((DeviceRevocationReason)99, revocation.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"v":1}""")]
    [InlineData("""{"v":1,"revocations":null}""")]
    [InlineData("""{"v":2,"revocations":[]}""")]
    [InlineData("""{"v":"1","revocations":[]}""")]
    [InlineData("""{"v":1,"revocations":{}}""")]
    [InlineData("""{"v":1,"revocations":[null]}""")]
    [InlineData("""{"v":1,"revocations":[{}]}""")]
    [InlineData("""{"v":1,"revocations":[{"revoked_at":1764470000123456,"reason":1}]}""")]
    [InlineData("""{"v":1,"revocations":[{"device_id":0,"revoked_at":1764470000123456,"reason":1}]}""")]
    [InlineData("""{"v":1,"revocations":[{"device_id":-4,"revoked_at":1764470000123456,"reason":1}]}""")]
    [InlineData("""{"v":1,"revocations":[{"device_id":"4","revoked_at":1764470000123456,"reason":1}]}""")]
    [InlineData("""{"v":1,"revocations":[{"device_id":4.5,"revoked_at":1764470000123456,"reason":1}]}""")]
    [InlineData("""{"v":1,"revocations":[{"device_id":99999999999999999999,"revoked_at":1764470000123456,"reason":1}]}""")]
    [InlineData("""{"v":1,"revocations":[{"device_id":4,"reason":1}]}""")]
    [InlineData("""{"v":1,"revocations":[{"device_id":4,"revoked_at":-1,"reason":1}]}""")]
    [InlineData("""{"v":1,"revocations":[{"device_id":4,"revoked_at":9223372036854775807,"reason":1}]}""")]
    [InlineData("""{"v":1,"revocations":[{"device_id":4,"revoked_at":1764470000123456}]}""")]
    [InlineData("""{"v":1,"revocations":[{"device_id":4,"revoked_at":1764470000123456,"reason":1},{"device_id":-1,"revoked_at":1,"reason":1}]}""")]
    [InlineData("""{"v":1,"revocations":[{"device_id":4,"revoked_at":1764470000123456,"reason":1}]""")]
    public void TryParse_RefusesMalformedMessagesWhole(string json)
    {
        Assert.False(RevocationMessage.TryParse(Encoding.UTF8.GetBytes(json), out var revocations));
        Assert.Null(revocations);
    }

    [Fact]
    public void TryParse_RefusesInvalidUtf8()
    {
        Assert.False(RevocationMessage.TryParse([0x7B, 0xFF, 0xFE, 0x7D], out _));
    }
}
