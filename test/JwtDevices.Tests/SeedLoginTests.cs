using System.Net;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Tests;

/// <summary>The seed's log-in behaviours (DESIGN.md, behaviours 1 and 2), over HTTP.</summary>
public abstract class SeedLoginTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Fact]
    public async Task Login_WithDeviceModel_CreatesDeviceNamedAfterModel()
    {
        var userId = await server.AddUserAsync("login_model");
        var client = server.CreateClient();

        using var response = await client.PostLoginAsync("login_model", "password123", deviceModel: "Nokia", userAgent: "agent");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(["device_id", "permanent_token", "token"], body.Keys());
        var devices = await server.WithDatabaseAsync(db => db.Set<Devices.Device>().Where(d => d.UserId == userId.ToString()).ToListAsync());
        var device = Assert.Single(devices);
        Assert.Equal("Nokia", device.Name);
        Assert.Equal("agent", device.Details);
        Assert.Equal(device.Id, body.GetProperty("device_id").GetInt64());
    }

    [Fact]
    public async Task Login_WithoutDeviceModel_NamesDeviceAfterUserAgent()
    {
        var userId = await server.AddUserAsync("login_agent");
        var client = server.CreateClient();

        var login = await client.LoginAsync("login_agent", deviceModel: null, userAgent: "agent");

        var device = await server.WithDatabaseAsync(db => db.Set<Devices.Device>().SingleAsync(d => d.Id == login.DeviceId));
        Assert.Equal("agent", device.Name);
        Assert.Equal(string.Empty, device.Details);
        Assert.Equal(userId.ToString(), device.UserId);
    }

    [Fact]
    public async Task Jwt_ListsDevices_UntilItsDeviceIsDeleted()
    {
        await server.AddUserAsync("login_then_delete");
        var client = server.CreateClient();
        var login = await client.LoginAsync("login_then_delete");

        using var before = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using var delete = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{login.DeviceId}/", login.Token);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        using var after = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        var challenge = Assert.Single(after.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.StartsWith("error=\"invalid_token\"", challenge.Parameter);
        Assert.Equal("application/problem+json", after.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Login_WithWrongPassword_Is400AndCreatesNoDevice()
    {
        await server.AddUserAsync("login_wrong_password");
        var client = server.CreateClient();
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await client.PostLoginAsync("login_wrong_password", "not-the-password");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("invalid_credentials", body.GetProperty("code").GetString());
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task Login_WithUnknownUser_AnswersExactlyAsWrongPassword()
    {
        await server.AddUserAsync("login_known");
        var client = server.CreateClient();

        using var unknown = await client.PostLoginAsync("login_nobody", "password123");
        using var wrong = await client.PostLoginAsync("login_known", "wrong-password");

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var unknownBody = await unknown.ReadJsonAsync();
        var wrongBody = await wrong.ReadJsonAsync();
        Assert.Equal(wrongBody.GetProperty("errors").GetRawText(), unknownBody.GetProperty("errors").GetRawText());
        Assert.Equal(wrongBody.GetProperty("detail").GetString(), unknownBody.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Login_WithNeitherField_NamesBothAndCreatesNoDevice()
    {
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await server.CreateClient().PostAsync("/auth-token/",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("required", body.GetProperty("code").GetString());
        Assert.Equal(["password", "username"], body.GetProperty("errors").Keys());
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task Login_ByFormData_IsAccepted()
    {
        await server.AddUserAsync("login_form");
        var client = server.CreateClient();

        using var response = await client.PostAsync("/auth-token/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "login_form",
            ["password"] = "password123",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["device_id", "permanent_token", "token"], (await response.ReadJsonAsync()).Keys());
    }

    [Theory]
    [InlineData("/auth-token")]
    [InlineData("/auth-token/")]
    public async Task Login_TrailingSlash_IsOptional(string path)
    {
        await server.AddUserAsync($"login_slash{path.Length}");
        var client = server.CreateClient();

        using var response = await client.PostAsync(path, System.Net.Http.Json.JsonContent.Create(new { username = $"login_slash{path.Length}", password = "password123" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class SeedLoginOnSqlite(SqliteServer server) : SeedLoginTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class SeedLoginOnPostgres(PostgresServer server) : SeedLoginTests<PostgresServer>(server);
