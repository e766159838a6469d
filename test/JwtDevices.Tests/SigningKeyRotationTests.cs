using System.Net;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests;

/// <summary>
/// Master-key rotation with <c>JwtDevices:SigningKeys</c>, newest first: new tokens take the first key, tokens
/// under an older key pass until it leaves the list, and permanent tokens work throughout.
/// </summary>
public abstract class SigningKeyRotationTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    private const string NewKey = "AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8="; // test-only, 256 bits

    [Fact]
    public async Task Rotation_SignsWithTheNewKey_KeepsOldTokensUntilTheirKeyIsRemoved_AndKeepsTheDevice()
    {
        await server.AddUserAsync("rotated_user");
        var before = await server.CreateClient().LoginAsync("rotated_user");

        // The operator puts the new key first and keeps the old one second.
        await using var rotated = server.OnSameDatabase(
            ("JwtDevices:SigningKey", ""), ("JwtDevices:SigningKeys:0", NewKey), ("JwtDevices:SigningKeys:1", ServerFactory.SigningKey));
        var rotatedClient = rotated.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await rotatedClient.StatusOfAsync(HttpMethod.Get, "/me", before.Token));
        var newToken = await RefreshAsync(rotatedClient, before.PermanentToken);
        Assert.Equal(HttpStatusCode.OK, await rotatedClient.StatusOfAsync(HttpMethod.Get, "/me", newToken));
        // A node that knows only the old key refuses it: it was signed with the new one.
        Assert.Equal(HttpStatusCode.Unauthorized, await server.CreateClient().StatusOfAsync(HttpMethod.Get, "/me", newToken));

        // Once every token under the old key has expired, the operator removes it.
        await using var retired = server.OnSameDatabase(("JwtDevices:SigningKey", ""), ("JwtDevices:SigningKeys:0", NewKey));
        var retiredClient = retired.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await retiredClient.StatusOfAsync(HttpMethod.Get, "/me", before.Token));
        Assert.Equal(HttpStatusCode.OK, await retiredClient.StatusOfAsync(HttpMethod.Get, "/me", newToken));
        var afterRemoval = await RefreshAsync(retiredClient, before.PermanentToken);
        Assert.Equal(HttpStatusCode.OK, await retiredClient.StatusOfAsync(HttpMethod.Get, "/me", afterRemoval));
    }

    [Fact]
    public async Task Rotation_InPlainJwtMode_KeepsOldTokensUntilTheirKeyIsRemoved()
    {
        await server.AddUserAsync("plain_rotated_user");
        await using var old = server.OnSameDatabase(("JwtDevices:EnablePermanentTokens", "false"));
        var before = await old.CreateClient().LoginAsync("plain_rotated_user");

        await using var rotated = server.OnSameDatabase(("JwtDevices:EnablePermanentTokens", "false"),
            ("JwtDevices:SigningKey", ""), ("JwtDevices:SigningKeys:0", NewKey), ("JwtDevices:SigningKeys:1", ServerFactory.SigningKey));
        var rotatedClient = rotated.CreateClient();
        var after = await rotatedClient.LoginAsync("plain_rotated_user");
        Assert.Equal(HttpStatusCode.OK, await rotatedClient.StatusOfAsync(HttpMethod.Get, "/me", before.Token));
        Assert.Equal(HttpStatusCode.OK, await rotatedClient.StatusOfAsync(HttpMethod.Get, "/me", after.Token));

        await using var retired = server.OnSameDatabase(("JwtDevices:EnablePermanentTokens", "false"),
            ("JwtDevices:SigningKey", ""), ("JwtDevices:SigningKeys:0", NewKey));
        var retiredClient = retired.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await retiredClient.StatusOfAsync(HttpMethod.Get, "/me", before.Token));
        Assert.Equal(HttpStatusCode.OK, await retiredClient.StatusOfAsync(HttpMethod.Get, "/me", after.Token));
    }

    private static async Task<string> RefreshAsync(HttpClient client, string? permanentToken)
    {
        using var response = await client.RefreshAsync(permanentToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("token").GetString()!;
    }
}

public sealed class SigningKeyRotationOnSqlite(SqliteServer server) : SigningKeyRotationTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class SigningKeyRotationOnPostgres(PostgresServer server) : SigningKeyRotationTests<PostgresServer>(server);
