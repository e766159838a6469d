using System.Net;
using JwtDevices.Endpoints;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.BadInput;

/// <summary>
/// Device ids that are not ids, on <c>DELETE /device-logout/</c> (the <c>Device-Id</c> header) and
/// <c>DELETE /devices/{id}/</c>: refused, and nothing deleted.
/// </summary>
public abstract class DeviceIdBadInputTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Theory]
    [InlineData("abc", JwtDevicesErrors.InvalidDeviceId)]
    [InlineData("-1", JwtDevicesErrors.InvalidDeviceId)]
    [InlineData("+1", JwtDevicesErrors.InvalidDeviceId)]
    [InlineData("1.5", JwtDevicesErrors.InvalidDeviceId)]
    [InlineData("1e3", JwtDevicesErrors.InvalidDeviceId)]
    [InlineData("0x10", JwtDevicesErrors.InvalidDeviceId)]
    [InlineData("1,2", JwtDevicesErrors.InvalidDeviceId)]
    [InlineData("99999999999999999999999", JwtDevicesErrors.InvalidDeviceId)]
    [InlineData("", JwtDevicesErrors.Required)]
    [InlineData("   ", JwtDevicesErrors.Required)]
    public async Task Logout_WithDeviceIdThatIsNotANumber_Is400KeyedDeviceId_AndDeletesNothing(string deviceId, string code)
    {
        var (login, other) = await ArrangeAsync("logout_bad_id");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await server.CreateClient().SendWithTokenAsync(
            HttpMethod.Delete, "/device-logout/", login.Token, headers: ("Device-Id", deviceId));

        var body = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, code);
        ProblemAssert.HasErrorsFor(body, "Device-Id");
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
        Assert.True(await server.DeviceExistsAsync(login.DeviceId!.Value));
        Assert.True(await server.DeviceExistsAsync(other.DeviceId!.Value));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999999")]
    [InlineData("987654321")]
    [InlineData("9223372036854775807")]
    public async Task DeleteDevice_WithIdThatIsNotADevice_Is404_AndDeletesNothing(string id)
    {
        var (login, other) = await ArrangeAsync("delete_bad_id");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await server.CreateClient().SendWithTokenAsync(HttpMethod.Delete, $"/devices/{id}/", login.Token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, JwtDevicesErrors.DeviceNotFound);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
        Assert.True(await server.DeviceExistsAsync(login.DeviceId!.Value));
        Assert.True(await server.DeviceExistsAsync(other.DeviceId!.Value));
    }

    [Fact]
    public async Task DeleteDevice_WithAnotherUsersDeviceId_Is404_AndDeletesNothing()
    {
        var (login, other) = await ArrangeAsync("delete_other_id");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await server.CreateClient().SendWithTokenAsync(HttpMethod.Delete, $"/devices/{other.DeviceId}/", login.Token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, JwtDevicesErrors.DeviceNotFound);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
        Assert.True(await server.DeviceExistsAsync(other.DeviceId!.Value));
    }

    [Fact]
    public async Task Logout_WithTheCallersOwnDeviceId_StillWorks_AfterBadInput()
    {
        // The control: the refusals above come from the ids, not from a broken token or device.
        var (login, _) = await ArrangeAsync("logout_control");
        var client = server.CreateClient();
        using (await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", login.Token, headers: ("Device-Id", "abc")))
        {
        }

        using var response = await client.SendWithTokenAsync(
            HttpMethod.Delete, "/device-logout/", login.Token, headers: ("Device-Id", login.DeviceId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(await server.DeviceExistsAsync(login.DeviceId.Value));
    }

    /// <summary>Logs in the caller and another user, so that a wrong deletion would show.</summary>
    private async Task<(ApiClient.Login Caller, ApiClient.Login Other)> ArrangeAsync(string name)
    {
        await server.EnsureUserAsync(name);
        await server.EnsureUserAsync($"{name}_other");
        var client = server.CreateClient();
        return (await client.LoginAsync(name), await client.LoginAsync($"{name}_other"));
    }
}

public sealed class DeviceIdBadInputOnSqlite(SqliteServer server) : DeviceIdBadInputTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class DeviceIdBadInputOnPostgres(PostgresServer server) : DeviceIdBadInputTests<PostgresServer>(server);
