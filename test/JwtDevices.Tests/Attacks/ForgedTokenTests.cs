using System.Net;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Attacks;

/// <summary>
/// Forged, tampered and malformed access tokens (the cases of <see cref="Forgeries"/>), sent to every
/// endpoint that requires authentication: 401 with an RFC 6750 challenge every time, and no stored row changed.
/// </summary>
public abstract class ForgedTokenTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    public static TheoryData<string> AlgorithmAttacks => Names(Forgeries.Algorithms);

    public static TheoryData<string> SignatureAttacks => Names(Forgeries.Signatures);

    public static TheoryData<string> TamperedClaimAttacks => Names(Forgeries.TamperedClaims);

    public static TheoryData<string> KeyHeaderAttacks => Names(Forgeries.KeyHeaders);

    public static TheoryData<string> MalformedTokens => Names(Forgeries.Malformed);

    public static TheoryData<string> WrongClaimTypes => Names(Forgeries.WrongClaimTypes);

    public static TheoryData<string> OversizedTokens => Names(Forgeries.Oversized);

    [Fact]
    public async Task HandMadeCopy_OfAGenuineToken_IsAccepted()
    {
        // The control: a token made by hand the way the forgeries are, changing nothing, works; so each
        // forgery fails for what it changes.
        var scene = await AttackScene.ArrangeAsync(server);
        var copy = HandMadeJwt.Sign(scene.AttackerPayload, scene.AttackerKey, keyId: scene.AttackerKeyId);

        using var me = await server.CreateClient().SendWithTokenAsync(HttpMethod.Get, "/me", copy);
        using var devices = await server.CreateClient().SendWithTokenAsync(HttpMethod.Get, "/devices/", copy);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.OK, devices.StatusCode);
    }

    [Theory]
    [MemberData(nameof(AlgorithmAttacks))]
    public Task Token_WithAnotherAlgorithm_Is401Everywhere(string attack) => AssertRefusedAsync(Forgeries.Algorithms[attack]);

    [Theory]
    [MemberData(nameof(SignatureAttacks))]
    public Task Token_WithASignatureNotMadeByItsDeviceKey_Is401Everywhere(string attack) => AssertRefusedAsync(Forgeries.Signatures[attack]);

    [Theory]
    [MemberData(nameof(TamperedClaimAttacks))]
    public Task Token_WithTamperedClaims_Is401Everywhere(string attack) => AssertRefusedAsync(Forgeries.TamperedClaims[attack]);

    [Theory]
    [MemberData(nameof(KeyHeaderAttacks))]
    public Task Token_WithKeyHeadersPointingElsewhere_Is401Everywhere(string attack) => AssertRefusedAsync(Forgeries.KeyHeaders[attack]);

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public Task MalformedToken_Is401Everywhere(string attack) => AssertRefusedAsync(Forgeries.Malformed[attack]);

    [Theory]
    [MemberData(nameof(WrongClaimTypes))]
    public Task Token_WithAClaimOfTheWrongType_SignedWithTheDevicesKey_Is401Everywhere(string attack) =>
        AssertRefusedAsync(Forgeries.WrongClaimTypes[attack]);

    [Theory]
    [MemberData(nameof(OversizedTokens))]
    public Task OversizedToken_Is401Everywhere(string attack) => AssertRefusedAsync(Forgeries.Oversized[attack]);

    [Fact]
    public async Task ForgedToken_NamingADevicesKeyIdWithOtherIds_DoesNotLockThatDeviceOut()
    {
        // Sent before the device's own first request, so that the forgery is the first token naming that salt.
        var scene = await AttackScene.ArrangeAsync(server, "lockout");
        var client = server.CreateClient();
        foreach (var forged in new[]
        {
            HandMadeJwt.Sign(scene.AttackerPayload, scene.AttackerKey, keyId: scene.VictimKeyId),
            HandMadeJwt.WithHeader(scene.Attacker.Token, HandMadeJwt.Header(scene.Victim.Token)),
        })
        {
            using var refused = await client.SendWithTokenAsync(HttpMethod.Get, "/me", forged);
            await AttackAssert.IsChallengeAsync(refused, "the forgery");

            using var genuine = await client.SendWithTokenAsync(HttpMethod.Get, "/me", scene.Victim.Token);
            Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        }
    }

    [Fact]
    public async Task BearerWithNothing_Is401()
    {
        var before = await StoredData.ReadAsync(server);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/devices/");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer ");

        using var response = await server.CreateClient().SendAsync(request);

        // No token was presented: neither the body nor the challenge names an error (RFC 6750 3.1).
        var body = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, null);
        Assert.False(body.TryGetProperty("code", out _));
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal(("Bearer", null), (challenge.Scheme, challenge.Parameter));
        await StoredData.AssertUnchangedAsync(server, before);
    }

    private async Task AssertRefusedAsync(Func<AttackScene, string> forge)
    {
        var scene = await AttackScene.OfAsync(server);
        await AttackAssert.RefusedEverywhereAsync(server, scene, forge(scene));
    }

    private static TheoryData<string> Names(IReadOnlyDictionary<string, Func<AttackScene, string>> attacks) => new(attacks.Keys);
}

public sealed class ForgedTokenOnSqlite(SqliteServer server) : ForgedTokenTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class ForgedTokenOnPostgres(PostgresServer server) : ForgedTokenTests<PostgresServer>(server);
