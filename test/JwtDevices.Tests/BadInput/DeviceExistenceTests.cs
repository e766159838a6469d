using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.BadInput;

/// <summary>
/// No answer to a caller without a valid token tells whether a device id exists: a forged token naming
/// another user's live device, one naming no device at all, and a genuine token whose device is gone are
/// answered alike, to the byte.
/// </summary>
public abstract class DeviceExistenceTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    private const long NoSuchDevice = 987_654_321;

    [Fact]
    public async Task ForgedTokens_ForALiveDeviceAndForNoDevice_GetTheSameAnswer()
    {
        var (attacker, victim, gone) = await ArrangeAsync("existence_forged");
        var keyId = HandMadeJwt.Header(attacker.Token)["kid"]!.GetValue<string>();
        var randomKey = RandomNumberGenerator.GetBytes(32);

        var answers = new List<Answer>
        {
            // The attacker's own signature over another device id: a live one, a deleted one, one never made.
            await AnswerAsync(HandMadeJwt.WithPayload(attacker.Token, WithDevice(attacker.Token, victim.DeviceId!.Value))),
            await AnswerAsync(HandMadeJwt.WithPayload(attacker.Token, WithDevice(attacker.Token, gone))),
            await AnswerAsync(HandMadeJwt.WithPayload(attacker.Token, WithDevice(attacker.Token, NoSuchDevice))),
            // A key of the attacker's choosing, naming the victim's key id or its own.
            await AnswerAsync(HandMadeJwt.Sign(HandMadeJwt.Payload(victim.Token), randomKey, keyId: HandMadeJwt.Header(victim.Token)["kid"]!.GetValue<string>())),
            await AnswerAsync(HandMadeJwt.Sign(WithDevice(victim.Token, NoSuchDevice), randomKey, keyId: keyId)),
        };

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Unauthorized, answer.Status));
        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task GenuineToken_OfADeletedDevice_IsAnsweredAsAForgery()
    {
        var (attacker, victim, _) = await ArrangeAsync("existence_deleted");
        var client = server.CreateClient();
        using (var delete = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{attacker.DeviceId}/", attacker.Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        var deleted = await AnswerAsync(attacker.Token);
        var forgery = await AnswerAsync(HandMadeJwt.WithPayload(attacker.Token, WithDevice(attacker.Token, victim.DeviceId!.Value)));

        Assert.Equal(forgery, deleted);
    }

    [Fact]
    public async Task Refresh_WithAnUnknownPermanentToken_SaysNothingOfTheDevice()
    {
        var (_, victim, gone) = await ArrangeAsync("existence_refresh");
        var client = server.CreateClient();

        // The permanent token is the only thing refresh reads: a device id beside it changes nothing.
        using var withLiveId = await SendRefreshAsync(client, "not-a-token", victim.DeviceId!.Value);
        using var withGoneId = await SendRefreshAsync(client, "not-a-token", gone);
        using var withNoId = await SendRefreshAsync(client, "not-a-token", NoSuchDevice);

        var bodies = new[] { withLiveId, withGoneId, withNoId };
        Assert.All(bodies, response => Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode));
        Assert.Single((await Task.WhenAll(bodies.Select(WithoutTraceIdAsync))).Distinct());
    }

    private async Task<(ApiClient.Login Attacker, ApiClient.Login Victim, long GoneDevice)> ArrangeAsync(string name)
    {
        await server.EnsureUserAsync(name);
        await server.EnsureUserAsync($"{name}_victim");
        var client = server.CreateClient();
        var attacker = await client.LoginAsync(name);
        var victim = await client.LoginAsync($"{name}_victim");
        var doomed = await client.LoginAsync($"{name}_victim");
        using var delete = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{doomed.DeviceId}/", doomed.Token);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        return (attacker, victim, doomed.DeviceId!.Value);
    }

    private static JsonObject WithDevice(string token, long deviceId)
    {
        var payload = HandMadeJwt.Payload(token);
        payload["device_id"] = deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return payload;
    }

    private async Task<Answer> AnswerAsync(string token)
    {
        using var response = await server.CreateClient().SendWithTokenAsync(HttpMethod.Get, "/devices/", token, "Bearer");
        return new Answer(
            response.StatusCode,
            string.Join("|", response.Headers.WwwAuthenticate.Select(challenge => challenge.ToString())),
            await WithoutTraceIdAsync(response));
    }

    private static Task<HttpResponseMessage> SendRefreshAsync(HttpClient client, string permanentToken, long deviceId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/device-refresh-token/");
        request.Headers.TryAddWithoutValidation("Permanent-Token", permanentToken);
        request.Headers.TryAddWithoutValidation("Device-Id", deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return client.SendAsync(request);
    }

    // The trace id differs per request by design; everything else must not.
    private static async Task<string> WithoutTraceIdAsync(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        return body.ToJsonString();
    }

    private sealed record Answer(HttpStatusCode Status, string Challenge, string Body);
}

public sealed class DeviceExistenceOnSqlite(SqliteServer server) : DeviceExistenceTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class DeviceExistenceOnPostgres(PostgresServer server) : DeviceExistenceTests<PostgresServer>(server);
