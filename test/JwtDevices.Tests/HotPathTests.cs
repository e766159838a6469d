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

        Assert.Equal(1, firstRequest);
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

    private static async Task GetMeAsync(HttpClient client, string token)
    {
        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/me", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
