using System.Net;
using System.Net.Http.Json;
using System.Text;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Tests;

/// <summary>Sign out everywhere, sign out the other devices, the current device and renaming, over HTTP.</summary>
public abstract class DeviceManagementTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Fact]
    public async Task LogoutAll_Is204_EndsEveryDeviceOfTheCaller_AndNoOneElses()
    {
        var me = await server.AddUserAsync("all_me");
        var someoneElse = await server.AddUserAsync("all_other");
        var client = server.CreateClient();
        var phone = await client.LoginAsync("all_me", deviceModel: "Phone");
        var tablet = await client.LoginAsync("all_me", deviceModel: "Tablet");
        var other = await client.LoginAsync("all_other");

        using var response = await client.SendWithTokenAsync(HttpMethod.Post, "/device-logout-all/", phone.Token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", phone.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", tablet.Token));
        using var refresh = await client.RefreshAsync(tablet.PermanentToken);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/devices/", other.Token));
        Assert.Equal(1, await CountDevicesOfAsync(someoneElse));
        Assert.Equal(0, await CountDevicesOfAsync(me));
    }

    [Fact]
    public async Task LogoutAll_WithoutJwt_Is401AndEndsNothing()
    {
        await server.AddUserAsync("all_anonymous");
        var client = server.CreateClient();
        var login = await client.LoginAsync("all_anonymous");

        using var response = await client.PostAsync("/device-logout-all/", content: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
    }

    [Fact]
    public async Task LogoutOthers_Is204_KeepsOnlyTheCurrentDevice()
    {
        await server.AddUserAsync("others_me");
        var client = server.CreateClient();
        var phone = await client.LoginAsync("others_me", deviceModel: "Phone");
        var tablet = await client.LoginAsync("others_me", deviceModel: "Tablet");
        var laptop = await client.LoginAsync("others_me", deviceModel: "Laptop");

        using var response = await client.SendWithTokenAsync(HttpMethod.Post, "/device-logout-others/", tablet.Token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", phone.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", laptop.Token));
        using var list = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", tablet.Token);
        var device = Assert.Single((await list.ReadJsonAsync()).EnumerateArray());
        Assert.Equal(tablet.DeviceId, device.GetProperty("id").GetInt64());
        using var refresh = await client.RefreshAsync(tablet.PermanentToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task CurrentDevice_IsTheCallersDevice_InTheListsShape()
    {
        await server.AddUserAsync("current_me");
        var client = server.CreateClient();
        await client.LoginAsync("current_me", deviceModel: "Phone");
        var tablet = await client.LoginAsync("current_me", deviceModel: "Tablet", userAgent: "tablet-agent");

        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/current/", tablet.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var device = await response.ReadJsonAsync();
        Assert.Equal(["created", "details", "id", "last_request_datetime", "name"], device.Keys());
        Assert.Equal(tablet.DeviceId, device.GetProperty("id").GetInt64());
        Assert.Equal("Tablet", device.GetProperty("name").GetString());
        Assert.Equal("tablet-agent", device.GetProperty("details").GetString());
        using var list = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", tablet.Token);
        var listed = (await list.ReadJsonAsync()).EnumerateArray().Single(d => d.GetProperty("id").GetInt64() == tablet.DeviceId);
        Assert.Equal(listed.GetRawText(), device.GetRawText());
    }

    [Fact]
    public async Task CurrentDevice_WithoutJwt_Is401()
    {
        using var response = await server.CreateClient().GetAsync("/devices/current/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Rename_OwnDevice_Is200WithTheDevice_AndTheListShowsTheName()
    {
        await server.AddUserAsync("rename_me");
        var client = server.CreateClient();
        var phone = await client.LoginAsync("rename_me", deviceModel: "Phone");
        var tablet = await client.LoginAsync("rename_me", deviceModel: "Tablet");

        using var response = await PatchAsync(client, $"/devices/{phone.DeviceId}/", tablet.Token, """{"name":"  Kitchen phone  "}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var device = await response.ReadJsonAsync();
        Assert.Equal(phone.DeviceId, device.GetProperty("id").GetInt64());
        Assert.Equal("Kitchen phone", device.GetProperty("name").GetString());
        using var list = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", phone.Token);
        var names = (await list.ReadJsonAsync()).EnumerateArray().Select(d => d.GetProperty("name").GetString());
        Assert.Equal(["Kitchen phone", "Tablet"], names);
    }

    [Fact]
    public async Task Rename_OtherUsersDevice_Is404AndChangesNothing()
    {
        await server.AddUserAsync("rename_owner");
        await server.AddUserAsync("rename_intruder");
        var client = server.CreateClient();
        var owner = await client.LoginAsync("rename_owner", deviceModel: "Owned");
        var intruder = await client.LoginAsync("rename_intruder");

        using var response = await PatchAsync(client, $"/devices/{owner.DeviceId}/", intruder.Token, """{"name":"Mine now"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("device_not_found", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        using var current = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/current/", owner.Token);
        Assert.Equal("Owned", (await current.ReadJsonAsync()).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("/devices/999999999/")]
    [InlineData("/devices/abc/")]
    [InlineData("/devices/-1/")]
    public async Task Rename_UnknownDevice_Is404(string path)
    {
        await server.AddUserAsync($"rename_unknown_{path.GetHashCode(StringComparison.Ordinal):x}");
        var client = server.CreateClient();
        var login = await client.LoginAsync($"rename_unknown_{path.GetHashCode(StringComparison.Ordinal):x}");

        using var response = await PatchAsync(client, path, login.Token, """{"name":"x"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"name":""}""", "invalid_device_name")]
    [InlineData("""{"name":"   "}""", "invalid_device_name")]
    [InlineData("""{"name":"a\u0007b"}""", "invalid_device_name")]
    [InlineData("""{"name":"\ud800"}""", "malformed_body")]
    [InlineData("""{"name":null}""", "required")]
    [InlineData("""{}""", "required")]
    [InlineData("""{"name":5}""", "malformed_body")]
    [InlineData("""not json""", "malformed_body")]
    public async Task Rename_BadName_Is400AndChangesNothing(string body, string code)
    {
        var user = $"rename_bad_{Guid.NewGuid():N}"[..24];
        await server.AddUserAsync(user);
        var client = server.CreateClient();
        var login = await client.LoginAsync(user, deviceModel: "Before");

        using var response = await PatchAsync(client, $"/devices/{login.DeviceId}/", login.Token, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await response.ReadJsonAsync()).GetProperty("code").GetString());
        using var current = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/current/", login.Token);
        Assert.Equal("Before", (await current.ReadJsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Rename_TooLongName_Is400_And255CharactersAreAccepted()
    {
        await server.AddUserAsync("rename_long");
        var client = server.CreateClient();
        var login = await client.LoginAsync("rename_long");

        using var tooLong = await PatchAsync(client, $"/devices/{login.DeviceId}/", login.Token, $$"""{"name":"{{new string('n', 256)}}"}""");
        using var longest = await PatchAsync(client, $"/devices/{login.DeviceId}/", login.Token, $$"""{"name":"{{new string('n', 255)}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
        Assert.Equal(255, (await longest.ReadJsonAsync()).GetProperty("name").GetString()!.Length);
    }

    [Fact]
    public async Task Rename_NotJson_Is415()
    {
        await server.AddUserAsync("rename_form");
        var client = server.CreateClient();
        var login = await client.LoginAsync("rename_form");
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/devices/{login.DeviceId}/")
        {
            Content = new FormUrlEncodedContent([new("name", "x")]),
        };
        request.Headers.Authorization = new("JWT", login.Token);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("application/json; charset=foo")]
    [InlineData("application/json; charset=utf-7")]
    [InlineData("application/json; charset=\"\"")]
    public async Task Rename_WithJsonInAnUnknownCharset_Is415ProblemAndChangesNothing(string contentType)
    {
        var (client, login) = await NewUserWithADeviceNamedBeforeAsync("rename_cs_");

        using var response = await PatchRawAsync(client, $"/devices/{login.DeviceId}/", login.Token, """{"name":"After"}""", contentType);

        await BadInput.ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, Endpoints.JwtDevicesErrors.UnsupportedMediaType);
        using var current = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/current/", login.Token);
        Assert.Equal("Before", (await current.ReadJsonAsync()).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("application/json; charset=")]
    [InlineData("application/json;charset=")]
    public async Task Rename_WithJsonAndAnEmptyCharset_IsReadAsUtf8_AsLogInIs(string contentType)
    {
        var (client, login) = await NewUserWithADeviceNamedBeforeAsync("rename_ecs_");

        using var response = await PatchRawAsync(client, $"/devices/{login.DeviceId}/", login.Token, """{"name":"After"}""", contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("After", (await response.ReadJsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Rename_WithoutJwt_Is401()
    {
        using var response = await server.CreateClient().PatchAsJsonAsync("/devices/1/", new { name = "x" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private Task<int> CountDevicesOfAsync(long userId)
    {
        var id = userId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return server.WithDatabaseAsync(db => db.Set<Devices.Device>().CountAsync(d => d.UserId == id));
    }

    private async Task<(HttpClient Client, ApiClient.Login Login)> NewUserWithADeviceNamedBeforeAsync(string prefix)
    {
        var user = $"{prefix}{Guid.NewGuid():N}"[..24];
        await server.AddUserAsync(user);
        var client = server.CreateClient();
        return (client, await client.LoginAsync(user, deviceModel: "Before"));
    }

    private static Task<HttpResponseMessage> PatchRawAsync(HttpClient client, string path, string token, string json, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = new StringContent(json) };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Authorization = new("JWT", token);
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string path, string token, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("JWT", token);
        return client.SendAsync(request);
    }
}

public sealed class DeviceManagementOnSqlite(SqliteServer server) : DeviceManagementTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class DeviceManagementOnPostgres(PostgresServer server) : DeviceManagementTests<PostgresServer>(server);
