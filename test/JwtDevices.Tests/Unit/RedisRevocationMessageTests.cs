using System.Text;
using JwtDevices.Devices;
using JwtDevices.Revocation;
using JwtDevices.StackExchangeRedis;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Unit;

/// <summary>The Redis message format: version 2, authenticated, compact, nothing secret, and nothing but whole valid messages read.</summary>
public sealed class RedisRevocationMessageTests
{
    private const string Channel = "jwtdevices:revocations";
    private const string OtherKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static readonly DateTimeOffset RevokedAt = DateTimeOffset.UnixEpoch.AddTicks(17_644_700_001_234_560);
    private static readonly RevocationMessageKeys Keys = KeysOf(Channel, ServerFactory.SigningKey);

    [Fact]
    public void Serialize_WritesVersion2_WithAMac_AndMicroseconds()
    {
        var text = Encoding.UTF8.GetString(RevocationMessage.Serialize(
        [
            new DeviceRevocation { Id = 7, DeviceId = 42, RevokedAt = RevokedAt, Reason = DeviceRevocationReason.LoggedOut },
            new DeviceRevocation { DeviceId = 43, RevokedAt = RevokedAt, Reason = DeviceRevocationReason.UserDeleted },
        ], Keys));

        var payload = """{"revocations":[{"device_id":42,"revoked_at":1764470000123456,"reason":1},{"device_id":43,"revoked_at":1764470000123456,"reason":5}]}""";
        Assert.Equal($"v2.{SignedRevocationMessages.Mac(ServerFactory.SigningKey, Channel, payload)}.{payload}", text);
    }

    [Fact]
    public void TryRead_ReadsWhatSerializeWrites()
    {
        var sent = Enum.GetValues<DeviceRevocationReason>()
            .Select((reason, i) => new DeviceRevocation { DeviceId = long.MaxValue - i, RevokedAt = RevokedAt.AddTicks(i * 10), Reason = reason })
            .ToArray();

        Assert.True(RevocationMessage.TryRead(RevocationMessage.Serialize(sent, Keys), Keys, out var received, out _));

        Assert.Equal(
            sent.Select(r => (r.DeviceId, r.RevokedAt, r.Reason)),
            received.Select(r => (r.DeviceId, r.RevokedAt, r.Reason)));
    }

    [Fact]
    public void TryRead_AcceptsAMessageUnderAnyListedKey_SoARotationRollsOut()
    {
        var newAndOld = KeysOf(Channel, OtherKey, ServerFactory.SigningKey);
        var oldOnly = Keys;
        var newOnly = KeysOf(Channel, OtherKey);
        DeviceRevocation[] sent = [new() { DeviceId = 5, RevokedAt = RevokedAt, Reason = DeviceRevocationReason.LoggedOut }];

        Assert.True(RevocationMessage.TryRead(RevocationMessage.Serialize(sent, newAndOld), oldOnly, out _, out _));
        Assert.True(RevocationMessage.TryRead(RevocationMessage.Serialize(sent, oldOnly), newAndOld, out _, out _));
        Assert.True(RevocationMessage.TryRead(RevocationMessage.Serialize(sent, newOnly), newAndOld, out _, out _));
        Assert.Equal(RevocationMessageRefusal.Unauthenticated, RefusalOf(RevocationMessage.Serialize(sent, newOnly), oldOnly));
    }

    [Fact]
    public void TryRead_SkipsUnknownMembers_AndKeepsUnknownReasons()
    {
        var payload = """{"node":"b","revocations":[{"device_id":9,"revoked_at":1764470000123456,"reason":99,"extra":[1]}]}""";

        Assert.True(RevocationMessage.TryRead(Signed(payload), Keys, out var received, out _));

        var revocation = Assert.Single(received);
        Assert.Equal(9, revocation.DeviceId);
        Assert.Equal(RevokedAt, revocation.RevokedAt);
        Assert.Equal((DeviceRevocationReason)99, revocation.Reason);
    }

    [Fact]
    public void TryRead_RefusesUnsignedVersion1_WrongKeys_AndOtherChannels_AsUnauthenticated()
    {
        var payload = """{"revocations":[{"device_id":4,"revoked_at":1764470000123456,"reason":1}]}""";
        var version1 = """{"v":1,"revocations":[{"device_id":4,"revoked_at":1764470000123456,"reason":1}]}""";

        Assert.Equal(RevocationMessageRefusal.Unauthenticated, RefusalOf(Encoding.UTF8.GetBytes(version1), Keys));
        Assert.Equal(RevocationMessageRefusal.Unauthenticated, RefusalOf(
            Encoding.UTF8.GetBytes(SignedRevocationMessages.Version2(OtherKey, Channel, payload)), Keys));
        Assert.Equal(RevocationMessageRefusal.Unauthenticated, RefusalOf(
            Encoding.UTF8.GetBytes(SignedRevocationMessages.Version2(ServerFactory.SigningKey, "another:channel", payload)), Keys));
        var tampered = SignedRevocationMessages.Version2(ServerFactory.SigningKey, Channel, payload).Replace("\"device_id\":4", "\"device_id\":5", StringComparison.Ordinal);
        Assert.Equal(RevocationMessageRefusal.Unauthenticated, RefusalOf(Encoding.UTF8.GetBytes(tampered), Keys));
    }

    [Fact]
    public void TryRead_RefusesMoreBytesThanANodeSends_BeforeReadingThem()
    {
        var message = new byte[RevocationMessage.MaxBytes + 1];

        Assert.Equal(RevocationMessageRefusal.TooLarge, RefusalOf(message, Keys));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("v2.")]
    [InlineData("v2.{}")]
    [InlineData("v2.abc.{}")]
    [InlineData("v3.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.{}")]
    [InlineData("v2.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,{}")]
    [InlineData("v2.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.{}")]
    public void TryRead_RefusesWhatIsNotVersion2_AsMalformed(string message)
    {
        Assert.Equal(RevocationMessageRefusal.Malformed, RefusalOf(Encoding.UTF8.GetBytes(message), Keys));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"revocations":null}""")]
    [InlineData("""{"revocations":{}}""")]
    [InlineData("""{"revocations":[null]}""")]
    [InlineData("""{"revocations":[{}]}""")]
    [InlineData("""{"revocations":[{"revoked_at":1764470000123456,"reason":1}]}""")]
    [InlineData("""{"revocations":[{"device_id":0,"revoked_at":1764470000123456,"reason":1}]}""")]
    [InlineData("""{"revocations":[{"device_id":-4,"revoked_at":1764470000123456,"reason":1}]}""")]
    [InlineData("""{"revocations":[{"device_id":"4","revoked_at":1764470000123456,"reason":1}]}""")]
    [InlineData("""{"revocations":[{"device_id":4.5,"revoked_at":1764470000123456,"reason":1}]}""")]
    [InlineData("""{"revocations":[{"device_id":99999999999999999999,"revoked_at":1764470000123456,"reason":1}]}""")]
    [InlineData("""{"revocations":[{"device_id":4,"reason":1}]}""")]
    [InlineData("""{"revocations":[{"device_id":4,"revoked_at":-1,"reason":1}]}""")]
    [InlineData("""{"revocations":[{"device_id":4,"revoked_at":9223372036854775807,"reason":1}]}""")]
    [InlineData("""{"revocations":[{"device_id":4,"revoked_at":1764470000123456}]}""")]
    [InlineData("""{"revocations":[{"device_id":4,"revoked_at":1764470000123456,"reason":1},{"device_id":-1,"revoked_at":1,"reason":1}]}""")]
    [InlineData("""{"revocations":[{"device_id":4,"revoked_at":1764470000123456,"reason":1}]""")]
    public void TryRead_RefusesMalformedPayloadsWhole_EvenWellSigned(string payload)
    {
        Assert.Equal(RevocationMessageRefusal.Malformed, RefusalOf(Signed(payload), Keys));
    }

    // Why the message is refused, after checking that nothing of it was read.
    private static RevocationMessageRefusal RefusalOf(byte[] message, RevocationMessageKeys keys)
    {
        Assert.False(RevocationMessage.TryRead(message, keys, out var revocations, out var refusal));
        Assert.Null(revocations);
        return refusal;
    }

    private static byte[] Signed(string payload) =>
        Encoding.UTF8.GetBytes(SignedRevocationMessages.Version2(ServerFactory.SigningKey, Channel, payload));

    private static RevocationMessageKeys KeysOf(string channel, params string[] signingKeys) =>
        new(new JwtDevicesOptions { SigningKeys = signingKeys }, channel);
}
