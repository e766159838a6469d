using System.Net;
using JwtDevices.Tests.Infrastructure;

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
}

public sealed class ValidatedTokenOnSqlite(SqliteServer server) : ValidatedTokenTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class ValidatedTokenOnPostgres(PostgresServer server) : ValidatedTokenTests<PostgresServer>(server);
