using System.Net;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests;

/// <summary>Authenticating a request costs no database round trip once a device's key is cached.</summary>
public sealed class HotPathTests : IDisposable
{
    private readonly ServerFactory _server = new();

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
        // The counter is what the test above trusts; show that it counts what the store sends.
        await _server.AddUserAsync("hot_path_list");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("hot_path_list");
        await GetMeAsync(client, login.Token);
        var before = _server.Commands.Count;

        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _server.Commands.Count - before);
    }

    [Fact]
    public async Task AuthenticatedRequests_QueryOnceAfterARestart_ThenNoMore()
    {
        await _server.AddUserAsync("hot_path_restart");
        var login = await _server.CreateClient().LoginAsync("hot_path_restart");
        await using var restarted = new ServerFactory(("ConnectionStrings:Default", $"Data Source={_server.DatabasePath}"));
        var client = restarted.CreateClient();

        var before = restarted.Commands.Count;
        for (var i = 0; i < 100; i++)
        {
            await GetMeAsync(client, login.Token);
        }

        Assert.Equal(1, restarted.Commands.Count - before);
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
    public async Task TokensNamingAnUnknownDevice_QueryOnce_AndTheDeviceStillWorksOnceCreated()
    {
        await _server.AddUserAsync("hot_path_future");
        var client = _server.CreateClient();
        var first = await client.LoginAsync("hot_path_future");
        var nextId = first.DeviceId!.Value + 1;
        var forged = BadInput.HandMadeJwt.Sign(
            new System.Text.Json.Nodes.JsonObject
            {
                ["user_id"] = 1, ["username"] = "x", ["email"] = "", ["device_id"] = nextId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["exp"] = _server.Time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds(),
            },
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var before = _server.Commands.Count;
        for (var i = 0; i < 50; i++)
        {
            using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/me", forged);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        var queries = _server.Commands.Count - before;
        var next = await client.LoginAsync("hot_path_future");

        Assert.Equal(1, queries);
        Assert.Equal(nextId, next.DeviceId);
        await GetMeAsync(client, next.Token);
    }

    private static async Task GetMeAsync(HttpClient client, string token)
    {
        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/me", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
