using JwtDevices.Devices;
using JwtDevices.Revocation;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace JwtDevices.Tests.Revocation;

/// <summary>The in-memory set of recent revocations: what it keeps, and for how long.</summary>
public sealed class RevokedDevicesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2031, 3, 4, 5, 6, 7, TimeSpan.Zero));
    private readonly RevokedDevices _revoked;

    public RevokedDevicesTests() =>
        _revoked = new RevokedDevices(Options.Create(new JwtDevicesOptions
        {
            AccessTokenLifetime = TimeSpan.FromMinutes(5),
            ClockSkew = TimeSpan.FromSeconds(30),
        }), _time);

    [Fact]
    public void Retention_CoversTheLongestTokenLife_AndClockDrift()
    {
        Assert.Equal(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30) + RevokedDevices.ClockDriftAllowance, _revoked.Retention);
    }

    [Fact]
    public void ARevokedDevice_IsKept_UntilItsRetentionHasPassed()
    {
        _revoked.Add(Revocation(7, _time.GetUtcNow()));

        _time.Advance(_revoked.Retention - TimeSpan.FromSeconds(1));
        _revoked.Prune();
        var keptUntilTheEnd = _revoked.Contains(7);
        _time.Advance(TimeSpan.FromSeconds(2));
        _revoked.Prune();

        Assert.True(keptUntilTheEnd);
        Assert.False(_revoked.Contains(7));
        Assert.Equal(0, _revoked.Count);
    }

    [Fact]
    public void ARevocationOlderThanTheRetention_IsNotKept()
    {
        _revoked.Add(Revocation(8, _time.GetUtcNow() - _revoked.Retention - TimeSpan.FromSeconds(1)));

        Assert.False(_revoked.Contains(8));
    }

    [Fact]
    public void TheSameDeviceRevokedTwice_KeepsTheLaterEnd()
    {
        var now = _time.GetUtcNow();
        _revoked.Add(Revocation(9, now));
        _revoked.Add(Revocation(9, now - TimeSpan.FromMinutes(3)));

        _time.Advance(_revoked.Retention - TimeSpan.FromSeconds(1));
        _revoked.Prune();

        Assert.True(_revoked.Contains(9));
        Assert.Equal(1, _revoked.Count);
    }

    private static DeviceRevocation Revocation(long deviceId, DateTimeOffset at) =>
        new() { DeviceId = deviceId, RevokedAt = at, Reason = DeviceRevocationReason.LoggedOut };
}
