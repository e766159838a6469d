using System.Net;
using JwtDevices.Devices;
using JwtDevices.Tests.Infrastructure;
using JwtDevices.Tokens;
using JwtDevices.Users;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests;

/// <summary>
/// A token seen before skips parsing and the signature check, never anything else: a near copy of it is a
/// stranger, and its expiry and its device's log-out still apply at once.
/// </summary>
public abstract class ValidatedTokenTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Fact]
    public async Task ACopyOfAValidatedToken_WithOneCharacterChanged_IsRefused_AndTheOriginalStillPasses()
    {
        await server.AddUserAsync("validated_copy");
        var client = server.CreateClient();
        var login = await client.LoginAsync("validated_copy");
        // Twice, so that it is remembered.
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));

        var last = login.Token[^1];
        var changed = login.Token[..^1] + (last == 'A' ? 'B' : 'A');

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", changed));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
    }

    [Fact]
    public async Task AValidatedToken_IsRefused_OnceItsDeviceLogsOut_AndOnceItExpires()
    {
        await server.AddUserAsync("validated_ends");
        var client = server.CreateClient();
        var loggedOut = await client.LoginAsync("validated_ends");
        var expiring = await client.LoginAsync("validated_ends");
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", loggedOut.Token));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", expiring.Token));

        using (var logout = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", loggedOut.Token, headers: ("Device-Id", loggedOut.DeviceId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", loggedOut.Token));

        server.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", expiring.Token));
    }

    [Fact]
    public async Task OneDevicesFloodOfNewTokens_PushesOutNoOtherDevicesValidatedToken()
    {
        await server.AddUserAsync("validated_victim");
        await server.AddUserAsync("validated_flooder");
        var client = server.CreateClient();
        var victim = await client.LoginAsync("validated_victim");
        var flooder = await client.LoginAsync("validated_flooder");
        // A token gets in the second time it is validated.
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", victim.Token));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", victim.Token));
        var remembered = server.Services.GetRequiredService<ValidatedTokens>();
        Assert.True(remembered.TryGet(victim.Token, out _));

        // As many tokens as the cache holds, each used twice, all of one device: what as many refreshes
        // give, minted in-process so that the test measures the cache, not the refresh endpoint.
        var flood = await MintAsync(flooder, "validated_flooder", ValidatedTokens.MaximumEntries);
        foreach (var token in flood)
        {
            Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", token));
            Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", token));
        }

        Assert.True(remembered.TryGet(victim.Token, out _), "the flood pushed out another device's validated token");
        Assert.Equal(ValidatedTokens.TokensPerOwner, flood.Count(token => remembered.TryGet(token, out _)));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", victim.Token));
    }

    private async Task<List<string>> MintAsync(ApiClient.Login login, string userName, int count)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var device = await scope.ServiceProvider.GetRequiredService<IDeviceStore>().FindByIdAsync(login.DeviceId!.Value, CancellationToken.None);
        var tokens = server.Services.GetRequiredService<AccessTokenService>();
        var credentials = tokens.CreateCredentials(device!);
        var user = new JwtDevicesUser(device!.UserId, userName, $"{userName}@example.com");
        return [.. Enumerable.Range(0, count).Select(_ => tokens.CreateToken(user, credentials))];
    }
}

public sealed class ValidatedTokenOnSqlite(SqliteServer server) : ValidatedTokenTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class ValidatedTokenOnPostgres(PostgresServer server) : ValidatedTokenTests<PostgresServer>(server);
