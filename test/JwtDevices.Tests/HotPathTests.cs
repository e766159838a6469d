using System.Net;
using System.Security.Cryptography;
using JwtDevices.Devices;
using JwtDevices.Tests.Infrastructure;
using JwtDevices.Tokens;
using JwtDevices.Users;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests;

/// <summary>
/// Authenticating a request costs no database round trip: not for a new device, not after a restart,
/// not for forged tokens, not for more devices than a node caches keys for.
/// </summary>
public abstract class HotPathTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    // EF Core logs every command it executes (event 20101); the tests count those lines as well as the interceptor's.
    private readonly ServerFactory _server = new TServer().WithSettings(("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Information"));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AuthenticatedRequests_SendNoDatabaseCommands_OnceWarm()
    {
        await _server.AddUserAsync("hot_path");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("hot_path");

        var beforeFirst = _server.Commands.Count;
        await GetMeAsync(client, login.Token);
        var firstRequest = _server.Commands.Count - beforeFirst;

        var before10 = _server.Commands.Count;
        for (var i = 0; i < 10; i++)
        {
            await GetMeAsync(client, login.Token);
        }
        var over10 = _server.Commands.Count - before10;

        var before100 = _server.Commands.Count;
        for (var i = 0; i < 100; i++)
        {
            await GetMeAsync(client, login.Token);
        }
        var over100 = _server.Commands.Count - before100;

        Assert.Equal(0, firstRequest); // log-in cached the new device's key
        Assert.Equal(0, over10);
        Assert.Equal(0, over100);
    }

    [Fact]
    public async Task CommandCounter_SeesTheStoresQueries()
    {
        // The counter and EF Core's command log are what the tests here trust; show that both see what the store sends.
        await _server.AddUserAsync("hot_path_list");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("hot_path_list");
        await GetMeAsync(client, login.Token);
        var before = _server.Commands.Count;
        var loggedBefore = ExecutedCommandsLogged();

        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _server.Commands.Count - before);
        Assert.Equal(1, ExecutedCommandsLogged() - loggedBefore);
    }

    [Fact]
    public async Task AuthenticatedRequests_SendNoDatabaseCommands_AfterARestart()
    {
        await _server.AddUserAsync("hot_path_restart");
        var login = await _server.CreateClient().LoginAsync("hot_path_restart");
        await using var restarted = _server.OnSameDatabase();
        var client = restarted.CreateClient();

        var before = restarted.Commands.Count;
        for (var i = 0; i < 100; i++)
        {
            await GetMeAsync(client, login.Token);
        }

        Assert.Equal(0, restarted.Commands.Count - before);
    }

    [Fact]
    public async Task TokensOfALoggedOutDevice_AreRefusedWithoutQueries()
    {
        await _server.AddUserAsync("hot_path_logout");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("hot_path_logout");
        using var logout = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{login.DeviceId}/", login.Token);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        var before = _server.Commands.Count;
        for (var i = 0; i < 50; i++)
        {
            using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(0, _server.Commands.Count - before);
    }

    [Fact]
    public async Task ForgedTokens_NamingThreeHundredDevices_SendNoDatabaseCommands()
    {
        await _server.AddUserAsync("hot_path_forged");
        var client = _server.CreateClient();
        var genuine = await client.LoginAsync("hot_path_forged");

        var before = _server.Commands.Count;
        var loggedBefore = ExecutedCommandsLogged();
        for (var i = 0; i < 300; i++)
        {
            var payload = BadInput.HandMadeJwt.Payload(genuine.Token);
            payload["device_id"] = (genuine.DeviceId!.Value + 1 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var forged = BadInput.HandMadeJwt.Sign(payload, RandomNumberGenerator.GetBytes(32),
                keyId: Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)));
            using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/me", forged);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(0, _server.Commands.Count - before);
        Assert.Equal(0, ExecutedCommandsLogged() - loggedBefore);
    }

    [Fact]
    public async Task TokensOfThousandsOfDistinctDevices_SendNoDatabaseCommands()
    {
        // More devices than the key cache holds, minted in-process as log-ins on many nodes would have.
        await _server.AddUserAsync("hot_path_many");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("hot_path_many");
        var tokens = _server.Services.GetRequiredService<AccessTokenService>();
        var user = new JwtDevicesUser(HandMadeUserId(login.Token), "hot_path_many", "hot_path_many@example.com");
        var minted = Enumerable.Range(1, Tokens.DeviceKeys.MaximumCachedKeys + 2_000)
            .Select(i => tokens.CreateToken(user, tokens.CreateCredentials(new Device
            {
                Id = 1_000_000 + i,
                UserId = user.Id,
                Name = "minted",
                Details = string.Empty,
                PermanentTokenHash = new byte[32],
                KeySalt = RandomNumberGenerator.GetBytes(32),
            })))
            .ToList();

        var before = _server.Commands.Count;
        var loggedBefore = ExecutedCommandsLogged();
        foreach (var token in minted)
        {
            await GetMeAsync(client, token);
        }

        Assert.Equal(0, _server.Commands.Count - before);
        Assert.Equal(0, ExecutedCommandsLogged() - loggedBefore);
    }

    private int ExecutedCommandsLogged() =>
        _server.LogLines.Count(line => line.Contains("Microsoft.EntityFrameworkCore.Database.Command[20101]", StringComparison.Ordinal));

    private static string HandMadeUserId(string token) => BadInput.HandMadeJwt.Payload(token)["user_id"]!.ToString();

    private static async Task GetMeAsync(HttpClient client, string token)
    {
        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/me", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class HotPathOnSqlite : HotPathTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class HotPathOnPostgres : HotPathTests<PostgresServer>;
