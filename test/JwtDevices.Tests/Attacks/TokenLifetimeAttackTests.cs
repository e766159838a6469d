using System.Net;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Attacks;

/// <summary>
/// Expired and not-yet-valid tokens exactly at the clock-skew boundaries, with a non-zero
/// <c>ClockSkew</c> and the server's fake clock: accepted up to the boundary, refused everywhere one
/// millisecond past it, and nothing stored changed.
/// </summary>
public abstract class TokenLifetimeAttackTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    /// <summary>The fixtures' <c>JwtDevices:ClockSkew</c>.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task Token_AtExpiryPlusClockSkew_IsAccepted_AndOneMillisecondLater_Is401Everywhere()
    {
        var scene = await AttackScene.ArrangeAsync(server, "lifetime_expired");
        var expires = DateTimeOffset.FromUnixTimeSeconds(scene.AttackerPayload["exp"]!.GetValue<long>());
        var client = server.CreateClient();

        server.Time.SetUtcNow(expires + ClockSkew);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", scene.Attacker.Token));

        server.Time.Advance(s_tick);
        await AttackAssert.RefusedEverywhereAsync(server, scene, scene.Attacker.Token, genuineTokensLive: false);
    }

    [Fact]
    public async Task Token_WithExpTamperedByTheClockSkew_Is401Everywhere()
    {
        // Moving exp by no more than the skew still breaks the signature.
        var scene = await AttackScene.ArrangeAsync(server, "lifetime_tampered");
        var payload = scene.AttackerPayload;
        payload["exp"] = payload["exp"]!.GetValue<long>() + (long)ClockSkew.TotalSeconds;
        var forged = HandMadeJwt.WithPayload(scene.Attacker.Token, payload);
        server.Time.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(HandMadeJwt.Payload(scene.Attacker.Token)["exp"]!.GetValue<long>()) + ClockSkew + s_tick);

        await AttackAssert.RefusedEverywhereAsync(server, scene, forged, genuineTokensLive: false);
    }

    [Fact]
    public async Task Token_NotBeforeMinusClockSkew_Is401Everywhere_AndAcceptedFromTheBoundary()
    {
        // nbf is signed with the device's own key: only the boundary decides.
        var scene = await AttackScene.ArrangeAsync(server, "lifetime_not_before");
        var notBefore = server.Time.GetUtcNow().ToUnixTimeSeconds() + (long)ClockSkew.TotalSeconds + 10;
        var payload = scene.AttackerPayload;
        payload["nbf"] = notBefore;
        var early = HandMadeJwt.Sign(payload, scene.AttackerKey, keyId: scene.AttackerKeyId);
        var client = server.CreateClient();

        await AttackAssert.RefusedEverywhereAsync(server, scene, early);

        server.Time.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(notBefore) - ClockSkew - s_tick);
        await AttackAssert.RefusedEverywhereAsync(server, scene, early);

        server.Time.Advance(s_tick);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", early));
    }

    [Fact]
    public async Task Token_WithoutExp_SignedWithTheDevicesKey_Is401Everywhere_WhateverTheSkew()
    {
        var scene = await AttackScene.ArrangeAsync(server, "lifetime_no_exp");
        var payload = scene.AttackerPayload;
        payload.Remove("exp");

        await AttackAssert.RefusedEverywhereAsync(server, scene, HandMadeJwt.Sign(payload, scene.AttackerKey, keyId: scene.AttackerKeyId));
    }
}

public sealed class TokenLifetimeAttackOnSqlite(SkewedSqliteServer server) : TokenLifetimeAttackTests<SkewedSqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class TokenLifetimeAttackOnPostgres(SkewedPostgresServer server) : TokenLifetimeAttackTests<SkewedPostgresServer>(server);
