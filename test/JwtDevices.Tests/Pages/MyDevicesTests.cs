using System.Net;
using System.Text.Json;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Pages;

/// <summary>
/// <c>GET /me/devices/</c>, the list the devices page reads: the seed list's fields plus <c>key_bound</c>, while the
/// seed's <c>GET /devices/</c> keeps exactly its five fields.
/// </summary>
public sealed class MyDevicesTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private static readonly string[] s_seedFields = ["created", "details", "id", "last_request_datetime", "name"];

    [Fact]
    public async Task MyDevices_SaysWhichDeviceIsBoundToADpopKey_AndTheSeedListStaysTheSeeds()
    {
        await server.AddUserAsync("my_devices_bound");
        using var key = new DpopKey();
        var client = server.CreateClient();
        var bound = await client.DpopLoginAsync(server, "my_devices_bound", key);
        var unbound = await client.LoginAsync("my_devices_bound");

        var mine = await ReadAsync(await client.SendWithTokenAsync(HttpMethod.Get, "/me/devices/", unbound.Token));
        var seed = await ReadAsync(await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", unbound.Token));

        Assert.Equal<long?>([bound.DeviceId, unbound.DeviceId], mine.Select(d => (long?)d.GetProperty("id").GetInt64()));
        Assert.All(mine, d => Assert.Equal([.. s_seedFields.Append("key_binding").Append("key_bound").Order()], d.Keys()));
        Assert.True(mine[0].GetProperty("key_bound").GetBoolean());
        Assert.Equal("DPoP", mine[0].GetProperty("key_binding").GetString());
        Assert.False(mine[1].GetProperty("key_bound").GetBoolean());
        Assert.Equal(JsonValueKind.Null, mine[1].GetProperty("key_binding").ValueKind);
        Assert.All(seed, d => Assert.Equal(s_seedFields, d.Keys()));
        // Field for field the seed's list, as the seed writes it (times included).
        Assert.Equal(seed.Select(d => d.GetRawText()), mine.Select(WithoutKeyBinding));
    }

    [Fact]
    public async Task MyDevices_AnswersABoundDeviceThatCallsWithItsProof_AndListsNoOtherUsersDevices()
    {
        await server.AddUserAsync("my_devices_dpop");
        await server.AddUserAsync("my_devices_other");
        using var key = new DpopKey();
        var client = server.CreateClient();
        var bound = await client.DpopLoginAsync(server, "my_devices_dpop", key);
        await client.LoginAsync("my_devices_other");

        var mine = await ReadAsync(await client.SendBoundAsync(server, key, HttpMethod.Get, "/me/devices/", bound.Token));

        var device = Assert.Single(mine);
        Assert.Equal(bound.DeviceId, device.GetProperty("id").GetInt64());
        Assert.True(device.GetProperty("key_bound").GetBoolean());
    }

    [Fact]
    public async Task MyDevices_Is401_WithoutAToken_And400_WithAPermanentTokenHeader()
    {
        var client = server.CreateClient();
        await server.AddUserAsync("my_devices_guard");
        var login = await client.LoginAsync("my_devices_guard");

        using var leaky = await client.SendWithTokenAsync(HttpMethod.Get, "/me/devices/", login.Token,
            headers: ("Permanent-Token", login.PermanentToken!));

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me/devices/", null));
        Assert.Equal(HttpStatusCode.BadRequest, leaky.StatusCode);
    }

    private static async Task<JsonElement[]> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return [.. (await response.ReadJsonAsync()).EnumerateArray()];
        }
    }

    private static string WithoutKeyBinding(JsonElement device) =>
        JsonSerializer.Serialize(device.EnumerateObject().Where(p => p.Name is not ("key_bound" or "key_binding")).ToDictionary(p => p.Name, p => p.Value));
}
