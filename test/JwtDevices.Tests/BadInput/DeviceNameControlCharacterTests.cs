using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.BadInput;

/// <summary>
/// Control characters in <c>X-Device-Model</c> and <c>User-Agent</c> (an ESC sequence meant for an
/// administrator's terminal): the log-in still succeeds, as the seed's did, and the device keeps its texts
/// without them, as a rename would have them.
/// </summary>
public abstract class DeviceNameControlCharacterTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Theory]
    [InlineData("Nokia\u001b]0;owned\u0007", "agent\u001b[2J/1.0", "Nokia]0;owned", "agent[2J/1.0")]
    [InlineData("\u001b[31mPixel\u009b0m", "okhttp\u007f/4", "[31mPixel0m", "okhttp/4")]
    [InlineData("\u001b\u0007", "curl\u001b/8", "curl/8", "")]  // nothing left of the model: named after the User-Agent
    public async Task Login_DropsControlCharactersFromTheDevicesNameAndDetails(string model, string userAgent, string name, string details)
    {
        var user = $"ctl_{Guid.NewGuid():N}"[..20];
        await server.AddUserAsync(user);
        var client = server.CreateClient();

        var login = await client.LoginAsync(user, deviceModel: model, userAgent: userAgent);

        var device = await CurrentDeviceAsync(client, login.Token);
        Assert.Equal(name, device.GetProperty("name").GetString());
        Assert.Equal(details, device.GetProperty("details").GetString());
    }

    [Fact]
    public async Task Login_KeepsOnlyANameThatARenameAccepts()
    {
        // Log-in and rename agree: the stored name, sent back as a rename, is accepted unchanged.
        await server.AddUserAsync("ctl_agree");
        var client = server.CreateClient();
        var login = await client.LoginAsync("ctl_agree", deviceModel: " \u0001Tablet\u001b " + new string('x', 300), userAgent: "agent");
        var stored = (await CurrentDeviceAsync(client, login.Token)).GetProperty("name").GetString()!;

        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/devices/{login.DeviceId}/") { Content = JsonContent.Create(new { name = stored }) };
        request.Headers.Authorization = new("JWT", login.Token);
        using var rename = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        Assert.Equal(stored, (await rename.ReadJsonAsync()).GetProperty("name").GetString());
        Assert.StartsWith("Tablet xxx", stored, StringComparison.Ordinal);
        Assert.Equal(255, stored.Length);
    }

    [Fact]
    public async Task PageLogin_DropsControlCharactersFromTheUserAgent()
    {
        await server.AddUserAsync("ctl_page");
        var client = server.CreateClient();
        using var request = PageClient.Request("/page/login/", new { username = "ctl_page", password = "password123" });
        request.Headers.Remove("User-Agent");
        request.Headers.TryAddWithoutValidation("User-Agent", PageClient.ChromeUserAgent + "\u001b]0;owned\u0007");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var device = await CurrentDeviceAsync(client, (await response.ReadJsonAsync()).GetProperty("token").GetString()!);
        Assert.Equal(PageClient.ChromeUserAgent + "]0;owned", device.GetProperty("details").GetString());
    }

    private static async Task<JsonElement> CurrentDeviceAsync(HttpClient client, string token)
    {
        using var current = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/current/", token);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        return await current.ReadJsonAsync();
    }
}

public sealed class DeviceNameControlCharactersOnSqlite(SqliteServer server) : DeviceNameControlCharacterTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class DeviceNameControlCharactersOnPostgres(PostgresServer server) : DeviceNameControlCharacterTests<PostgresServer>(server);
