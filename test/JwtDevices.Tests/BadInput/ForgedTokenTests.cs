using System.Net;
using System.Security.Cryptography;
using JwtDevices.Endpoints;
using JwtDevices.Tests.Infrastructure;
using JwtDevices.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests.BadInput;

/// <summary>Forged and tampered access tokens on <c>GET /devices/</c>: 401 with an RFC 6750 challenge, nothing changed.</summary>
public abstract class ForgedTokenTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Fact]
    public async Task HandMadeCopy_OfAGenuineToken_IsAccepted()
    {
        // The control: a token made by hand the way the forgeries below are, changing nothing, works;
        // so each forgery fails for what it changes.
        var (victim, _) = await ArrangeAsync("forged_control");
        var copy = HandMadeJwt.Sign(HandMadeJwt.Payload(victim.Token), await DeviceKeyAsync(victim.DeviceId!.Value), keyId: KeyIdOf(victim.Token));

        using var response = await server.CreateClient().SendWithTokenAsync(HttpMethod.Get, "/devices/", copy);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_SignedWithAnotherKey_Is401()
    {
        var (victim, _) = await ArrangeAsync("forged_other_key");

        var forged = HandMadeJwt.Sign(HandMadeJwt.Payload(victim.Token), RandomNumberGenerator.GetBytes(32), keyId: KeyIdOf(victim.Token));

        await AssertRefusedAsync(forged);
    }

    [Fact]
    public async Task Token_SignedWithTheMasterKey_Is401()
    {
        var (victim, _) = await ArrangeAsync("forged_master_key");

        var forged = HandMadeJwt.Sign(HandMadeJwt.Payload(victim.Token), Convert.FromBase64String(ServerFactory.SigningKey), keyId: KeyIdOf(victim.Token));

        await AssertRefusedAsync(forged);
    }

    [Fact]
    public async Task Token_WithUserIdChanged_KeepingTheSignature_Is401()
    {
        var (attacker, victim) = await ArrangeAsync("forged_user_id");
        var payload = HandMadeJwt.Payload(attacker.Token);
        payload["user_id"] = HandMadeJwt.Payload(victim.Token)["user_id"]!.DeepClone();

        var forged = HandMadeJwt.WithPayload(attacker.Token, payload);

        await AssertRefusedAsync(forged);
        Assert.True(await server.DeviceExistsAsync(victim.DeviceId!.Value));
    }

    [Fact]
    public async Task Token_WithDeviceIdChangedToAnotherUsersDevice_KeepingTheSignature_Is401()
    {
        var (attacker, victim) = await ArrangeAsync("forged_device_id");
        var payload = HandMadeJwt.Payload(attacker.Token);
        payload["device_id"] = HandMadeJwt.Payload(victim.Token)["device_id"]!.DeepClone();

        var forged = HandMadeJwt.WithPayload(attacker.Token, payload);

        await AssertRefusedAsync(forged);
        Assert.True(await server.DeviceExistsAsync(victim.DeviceId!.Value));
    }

    [Fact]
    public async Task Token_WithUserAndDeviceOfAnotherUser_KeepingTheSignature_Is401()
    {
        var (attacker, victim) = await ArrangeAsync("forged_user_and_device");
        var payload = HandMadeJwt.Payload(victim.Token);
        payload["exp"] = HandMadeJwt.Payload(attacker.Token)["exp"]!.DeepClone();

        var forged = HandMadeJwt.WithPayload(attacker.Token, payload);

        await AssertRefusedAsync(forged);
    }

    [Fact]
    public async Task Token_SignedWithTheCallersDeviceKey_ButNamingAnotherUser_Is401_AndDeletesNothing()
    {
        // A device's key must speak only for the device's own user: should one device key leak, it must
        // not let its holder act as every other user (here: log out the victim's device).
        var (attacker, victim) = await ArrangeAsync("forged_resigned_user");
        var payload = HandMadeJwt.Payload(attacker.Token);
        var victimPayload = HandMadeJwt.Payload(victim.Token);
        payload["user_id"] = victimPayload["user_id"]!.DeepClone();
        payload["username"] = victimPayload["username"]!.DeepClone();
        var forged = HandMadeJwt.Sign(payload, await DeviceKeyAsync(attacker.DeviceId!.Value), keyId: KeyIdOf(attacker.Token));

        using var response = await server.CreateClient().SendWithTokenAsync(HttpMethod.Delete, $"/devices/{victim.DeviceId}/", forged);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, JwtDevicesErrors.InvalidToken);
        Assert.True(await server.DeviceExistsAsync(victim.DeviceId!.Value));
        await AssertRefusedAsync(forged);
    }

    [Fact]
    public async Task Token_WithAlgNone_Is401()
    {
        var (victim, _) = await ArrangeAsync("forged_alg_none");

        var forged = HandMadeJwt.Unsigned(HandMadeJwt.Payload(victim.Token));

        await AssertRefusedAsync(forged);
    }

    [Fact]
    public async Task Token_SignedWithHS512AndTheDevicesKey_Is401()
    {
        var (victim, _) = await ArrangeAsync("forged_hs512");

        var forged = HandMadeJwt.Sign(HandMadeJwt.Payload(victim.Token), await DeviceKeyAsync(victim.DeviceId!.Value), "HS512", keyId: KeyIdOf(victim.Token));

        await AssertRefusedAsync(forged);
    }

    [Fact]
    public async Task Token_WithoutExp_SignedWithTheDevicesKey_Is401()
    {
        var (victim, _) = await ArrangeAsync("forged_no_exp");
        var payload = HandMadeJwt.Payload(victim.Token);
        payload.Remove("exp");

        var forged = HandMadeJwt.Sign(payload, await DeviceKeyAsync(victim.DeviceId!.Value), keyId: KeyIdOf(victim.Token));

        await AssertRefusedAsync(forged);
    }

    [Fact]
    public async Task Token_WithDeviceIdNotANumber_Is401()
    {
        var (victim, _) = await ArrangeAsync("forged_device_text");
        var payload = HandMadeJwt.Payload(victim.Token);
        payload["device_id"] = "abc";

        var forged = HandMadeJwt.Sign(payload, await DeviceKeyAsync(victim.DeviceId!.Value), keyId: KeyIdOf(victim.Token));

        await AssertRefusedAsync(forged);
    }

    [Fact]
    public async Task Token_WithoutDeviceId_SignedWithTheMasterKey_Is401()
    {
        // Plain JWT mode's tokens are not taken while permanent tokens are on: they could not be revoked.
        var (victim, _) = await ArrangeAsync("forged_no_device");
        var payload = HandMadeJwt.Payload(victim.Token);
        payload.Remove("device_id");

        var forged = HandMadeJwt.Sign(payload, Convert.FromBase64String(ServerFactory.SigningKey), keyId: KeyIdOf(victim.Token));

        await AssertRefusedAsync(forged);
    }

    [Theory]
    [InlineData("exp", "\"soon\"")]
    [InlineData("exp", "null")]
    [InlineData("exp", "-1")]
    [InlineData("exp", "0")]
    [InlineData("device_id", "\"\"")]
    [InlineData("device_id", "\"-1\"")]
    [InlineData("device_id", "\" 1\"")]
    [InlineData("device_id", "\"99999999999999999999999\"")]
    [InlineData("device_id", "[\"1\"]")]
    [InlineData("device_id", "{\"id\":\"1\"}")]
    [InlineData("device_id", "null")]
    public async Task Token_WithAClaimOfTheWrongShape_SignedWithTheDevicesKey_Is401(string claim, string json)
    {
        var (victim, _) = await ArrangeAsync("forged_claim_shape");
        var payload = HandMadeJwt.Payload(victim.Token);
        payload[claim] = System.Text.Json.Nodes.JsonNode.Parse(json);

        var forged = HandMadeJwt.Sign(payload, await DeviceKeyAsync(victim.DeviceId!.Value), keyId: KeyIdOf(victim.Token));

        await AssertRefusedAsync(forged);
    }

    [Theory]
    [InlineData("abc.def.ghi")]
    [InlineData("a.b")]
    [InlineData("...")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ")]
    [InlineData("not a jwt at all")]
    public async Task GarbageToken_Is401(string token)
    {
        await AssertRefusedAsync(token);
    }

    [Fact]
    public async Task Random5000CharacterToken_Is401()
    {
        var token = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.", 5000);

        await AssertRefusedAsync(token);
    }

    [Fact]
    public async Task BearerWithNothing_Is401()
    {
        var devicesBefore = await server.CountDevicesAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/devices/");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer ");

        using var response = await server.CreateClient().SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, JwtDevicesErrors.InvalidToken);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    /// <summary>Logs in an attacker and a victim; returns their logins.</summary>
    private async Task<(ApiClient.Login First, ApiClient.Login Second)> ArrangeAsync(string name)
    {
        await server.EnsureUserAsync(name);
        await server.EnsureUserAsync($"{name}_victim");
        var client = server.CreateClient();
        return (await client.LoginAsync(name), await client.LoginAsync($"{name}_victim"));
    }

    // Every forgery names the device's key as genuine tokens do, so that it fails for what it changes.
    private static string KeyIdOf(string token) => HandMadeJwt.Header(token)["kid"]!.GetValue<string>();

    /// <summary>The device's derived signing key, as only the server can compute it.</summary>
    private async Task<byte[]> DeviceKeyAsync(long deviceId)
    {
        var device = await server.WithDatabaseAsync(db => db.Set<Devices.Device>().AsNoTracking().SingleAsync(d => d.Id == deviceId));
        var credentials = server.Services.GetRequiredService<AccessTokenService>().CreateCredentials(device);
        return ((SymmetricSecurityKey)credentials.SigningCredentials.Key).Key;
    }

    private async Task AssertRefusedAsync(string token)
    {
        var devicesBefore = await server.CountDevicesAsync();

        foreach (var scheme in new[] { "Bearer", "JWT" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/devices/");
            request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}");

            using var response = await server.CreateClient().SendAsync(request);

            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, JwtDevicesErrors.InvalidToken);
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Bearer", challenge.Scheme);
            Assert.StartsWith("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
            ProblemAssert.HasNoInternals(challenge.Parameter!);
        }
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }
}

public sealed class ForgedTokenOnSqlite(SqliteServer server) : ForgedTokenTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class ForgedTokenOnPostgres(PostgresServer server) : ForgedTokenTests<PostgresServer>(server);
