using System.Globalization;
using System.Security.Claims;
using JwtDevices.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;

namespace JwtDevices.Tests.Unit;

/// <summary>
/// The validated-token cache is bounded, and fair: one device's flood of new tokens replaces only its own
/// entries, and only many devices make it let go of anything, the longest unused first. A token gets in
/// the second time it is validated.
/// </summary>
public sealed class ValidatedTokensTests
{
    // Any readable JWT will do: the cache keys by the text it is given and keeps the token only to hand it back.
    private static readonly JsonWebToken s_jwt = new(new JsonWebTokenHandler().CreateToken("{\"user_id\":1}"));

    [Fact]
    public void OneDevicesFloodOfTokens_KeepsOnlyItsNewestTwo_AndPushesOutNoOtherDevice()
    {
        var cache = new ValidatedTokens(capacity: 100);
        for (var device = 1; device <= 40; device++)
        {
            Add(cache, $"token of device {device}", device);
        }

        for (var i = 0; i < 10_000; i++)
        {
            Add(cache, $"flood {i}", 1_000);
        }

        for (var device = 1; device <= 40; device++)
        {
            Assert.True(cache.TryGet($"token of device {device}", out _), $"device {device}'s token was pushed out");
        }
        Assert.True(cache.TryGet("flood 9999", out _));
        Assert.True(cache.TryGet("flood 9998", out _));
        Assert.False(cache.TryGet("flood 9997", out _));
        Assert.InRange(cache.Count, 42, 100);
    }

    [Fact]
    public void ManyDevices_FillItOnlyToItsCapacity_AndADeviceStillInUseKeepsItsToken()
    {
        var cache = new ValidatedTokens(capacity: 100);
        Add(cache, "in use", 1);
        Add(cache, "unused", 2);

        for (var device = 3; device < 10_000; device++)
        {
            Add(cache, $"token of device {device}", device);
            Assert.True(cache.TryGet("in use", out _));
            Assert.InRange(cache.Count, 0, 100);
        }

        Assert.False(cache.TryGet("unused", out _));
    }

    [Fact]
    public void TheValidationAdded_IsWhatALaterLookupFinds()
    {
        var cache = new ValidatedTokens(capacity: 100);

        var added = Add(cache, "token", 7);

        Assert.True(cache.TryGet("token", out var found));
        Assert.Same(added, found);
        Assert.Equal(7, found.DeviceId);
    }

    [Fact]
    public void ATokenLongerThanTheLimit_IsValidatedButNotRemembered()
    {
        var cache = new ValidatedTokens(capacity: 100);
        var token = new string('a', ValidatedTokens.MaximumTokenLength + 1);

        Add(cache, token, 7);

        Assert.False(cache.TryGet(token, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void ATokenValidatedOnce_IsNotRemembered_AndIsTheSecondTime()
    {
        var cache = new ValidatedTokens(capacity: 100);

        AddOnce(cache, "a.b.seen-once", 7);
        Assert.False(cache.TryGet("a.b.seen-once", out _));

        AddOnce(cache, "a.b.seen-once", 7);
        Assert.True(cache.TryGet("a.b.seen-once", out _));
    }

    // Validated twice, as a token in use is: the first time only makes the cache take note of it.
    private static ValidatedToken Add(ValidatedTokens cache, string token, long deviceId)
    {
        AddOnce(cache, token, deviceId);
        return AddOnce(cache, token, deviceId);
    }

    private static ValidatedToken AddOnce(ValidatedTokens cache, string token, long deviceId) =>
        cache.Add(token, s_jwt, new ClaimsIdentity([new Claim("user_id", "1")], "test"), deviceId, null,
            deviceId.ToString(CultureInfo.InvariantCulture));
}
