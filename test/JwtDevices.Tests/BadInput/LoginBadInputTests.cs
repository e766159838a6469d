using System.Net;
using System.Text;
using JwtDevices.Endpoints;
using JwtDevices.Server.Users;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.BadInput;

/// <summary>Log-in with bodies and headers a careless or hostile client sends: a clear 4xx, and no device.</summary>
public abstract class LoginBadInputTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Theory]
    [InlineData("{\"username\":")]
    [InlineData("{\"username\":\"a\",\"password\":\"b\"")]
    [InlineData("not json at all")]
    [InlineData("[]")]
    [InlineData("[{\"username\":\"a\",\"password\":\"b\"}]")]
    [InlineData("\"a string\"")]
    [InlineData("42")]
    [InlineData("{\"username\":1,\"password\":true}")]
    [InlineData("{\"username\":\"bad_types\",\"password\":12345678}")]
    [InlineData("{\"username\":[\"a\"],\"password\":{\"p\":\"b\"}}")]
    public async Task Login_WithMalformedJson_Is400MalformedBody(string json)
    {
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await PostRawAsync(json, "application/json");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, JwtDevicesErrors.MalformedBody);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task Login_WithEmptyJsonBody_Is400()
    {
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await PostRawAsync(string.Empty, "application/json");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, JwtDevicesErrors.MalformedBody);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task Login_WithJsonNull_Is400BothFieldsRequired()
    {
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await PostRawAsync("null", "application/json");

        var body = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, JwtDevicesErrors.Required);
        ProblemAssert.HasErrorsFor(body, "username", "password");
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Theory]
    [InlineData("{\"password\":\"password123\"}", "username")]
    [InlineData("{\"username\":\"\",\"password\":\"password123\"}", "username")]
    [InlineData("{\"username\":null,\"password\":\"password123\"}", "username")]
    [InlineData("{\"username\":\"login_missing\"}", "password")]
    [InlineData("{\"username\":\"login_missing\",\"password\":\"\"}", "password")]
    public async Task Login_WithAMissingField_Is400KeyedByThatField(string json, string field)
    {
        await server.EnsureUserAsync("login_missing");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await PostRawAsync(json, "application/json");

        var body = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, JwtDevicesErrors.Required);
        ProblemAssert.HasErrorsFor(body, field);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/octet-stream")]
    public async Task Login_WithUnsupportedContentType_Is415(string contentType)
    {
        await server.EnsureUserAsync("login_media_type");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await PostRawAsync("{\"username\":\"login_media_type\",\"password\":\"password123\"}", contentType);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, JwtDevicesErrors.UnsupportedMediaType);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task Login_WithoutBodyOrContentType_Is415()
    {
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await server.CreateClient().PostAsync("/auth-token/", content: null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, JwtDevicesErrors.UnsupportedMediaType);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Login_WithBodyOver16KiB_Is413(string contentType)
    {
        await server.EnsureUserAsync("login_big_body");
        var devicesBefore = await server.CountDevicesAsync();
        var padding = new string('p', 17 * 1024);
        var body = contentType == "application/json"
            ? $"{{\"username\":\"login_big_body\",\"password\":\"password123\",\"padding\":\"{padding}\"}}"
            : $"username=login_big_body&password=password123&padding={padding}";

        using var response = await PostRawAsync(body, contentType);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, JwtDevicesErrors.BodyTooLarge);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Theory]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=foo")]
    [InlineData("application/json; charset=utf-7")]
    [InlineData("application/json; charset=\"\"")]
    public async Task Login_WithJsonInAnUnknownCharset_Is4xx(string contentType)
    {
        await server.EnsureUserAsync("login_charset");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await PostRawAsync("{\"username\":\"login_charset\",\"password\":\"password123\"}", contentType);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"Expected a 4xx, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        ProblemAssert.HasNoInternals(text);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Theory]
    [InlineData("application/json; charset=")]
    [InlineData("application/json;charset=")]
    public async Task Login_WithJsonAndAnEmptyCharset_IsReadAsUtf8(string contentType)
    {
        // As with no charset at all; the framework's own reader answered 500.
        await server.EnsureUserAsync("login_empty_charset");

        using var response = await PostRawAsync("{\"username\":\"login_empty_charset\",\"password\":\"password123\"}", contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Login_WithDeeplyNestedJson_Is400MalformedBody()
    {
        var devicesBefore = await server.CountDevicesAsync();
        var json = $"{{\"username\":{new string('[', 1000)}{new string(']', 1000)},\"password\":\"x\"}}";

        using var response = await PostRawAsync(json, "application/json");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, JwtDevicesErrors.MalformedBody);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task Login_WithInvalidUtf8InJson_Is400MalformedBody()
    {
        var devicesBefore = await server.CountDevicesAsync();
        using var content = new ByteArrayContent([.. "{\"username\":\""u8, 0xC3, 0x28, .. "\",\"password\":\"x\"}"u8]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await server.CreateClient().PostAsync("/auth-token/", content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, JwtDevicesErrors.MalformedBody);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Theory]
    [InlineData("multipart/form-data", "username=a&password=b")]
    [InlineData("multipart/form-data; boundary=xyz", "this is not multipart")]
    [InlineData("multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\na")]
    public async Task Login_WithBrokenMultipartForm_Is400(string contentType, string body)
    {
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await PostRawAsync(body, contentType);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, JwtDevicesErrors.MalformedBody);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task Login_WithTooManyFormValues_Is400()
    {
        var devicesBefore = await server.CountDevicesAsync();
        var body = string.Join('&', Enumerable.Range(0, 100).Select(i => $"f{i}=v"));

        using var response = await PostRawAsync(body, "application/x-www-form-urlencoded");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, JwtDevicesErrors.MalformedBody);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task Login_WithA10000CharacterDeviceModel_Is200_AndCutsTheNameTo255()
    {
        await server.AddUserAsync("login_long_model");
        var model = string.Concat(Enumerable.Range(0, 10_000).Select(i => (char)('a' + (i % 26))));
        var userAgent = new string('u', 10_000);

        using var response = await server.CreateClient().PostLoginAsync("login_long_model", "password123", model, userAgent);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var deviceId = (await response.ReadJsonAsync()).GetProperty("device_id").GetInt64();
        var device = await server.WithDatabaseAsync(db => db.Set<Devices.Device>().SingleAsync(d => d.Id == deviceId));
        Assert.Equal(model[..255], device.Name);
        Assert.Equal(userAgent[..255], device.Details);
    }

    [Fact]
    public async Task Login_OfALockedOutUser_Is400_WithTheSameAnswerAsAWrongPassword()
    {
        await server.AddUserAsync("login_locked");
        await server.AddUserAsync("login_locked_control");
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ServerUser>>();
            var user = (await users.FindByNameAsync("login_locked"))!;
            Assert.True((await users.SetLockoutEnabledAsync(user, true)).Succeeded);
            Assert.True((await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddYears(1))).Succeeded);
        }
        var client = server.CreateClient();
        var devicesBefore = await server.CountDevicesAsync();

        using var locked = await client.PostLoginAsync("login_locked", "password123");
        using var wrong = await client.PostLoginAsync("login_locked_control", "wrong-password");

        var lockedBody = await ProblemAssert.IsProblemAsync(locked, HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidCredentials);
        var wrongBody = await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidCredentials);
        Assert.Equal(wrongBody.GetProperty("errors").GetRawText(), lockedBody.GetProperty("errors").GetRawText());
        Assert.Equal(wrongBody.GetProperty("detail").GetString(), lockedBody.GetProperty("detail").GetString());
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task Login_WithTheRightCredentials_AfterBadInput_StillWorks()
    {
        // The control: the refusals above come from the input, not from a broken user or server.
        await server.AddUserAsync("login_control");
        using (await PostRawAsync("{\"username\":", "application/json"))
        {
        }

        using var response = await PostRawAsync("{\"username\":\"login_control\",\"password\":\"password123\"}", "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostRawAsync(string body, string contentType)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        // Sent as written, even where .NET's client would refuse to parse it.
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await server.CreateClient().PostAsync("/auth-token/", content);
    }
}

public sealed class LoginBadInputOnSqlite(SqliteServer server) : LoginBadInputTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class LoginBadInputOnPostgres(PostgresServer server) : LoginBadInputTests<PostgresServer>(server);
