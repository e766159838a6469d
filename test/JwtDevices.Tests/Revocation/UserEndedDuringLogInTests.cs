using System.Net;
using JwtDevices.Devices;
using JwtDevices.Server.Commands;
using JwtDevices.Server.Users;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Revocation;

/// <summary>
/// A user locked out or deleted while a log-in is in flight (its password checked, its device not yet written)
/// keeps no live token: the log-in is held just before the insert while the user is ended, then let go.
/// </summary>
public abstract class UserEndedDuringLogInTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private readonly StoreGates _gates = new();
    private readonly ServerFactory _server = new TServer();
    private readonly WebApplicationFactory<Program> _gated;

    protected UserEndedDuringLogInTests() => _gated = GatedDeviceStore.Install(_server, _gates);

    public void Dispose()
    {
        _gated.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task ALockOut_DuringALogIn_LeavesItNoLiveToken_AndLogsTheRevocation()
    {
        var (client, login, release) = await HoldALogInBeforeItsInsertAsync("locked_in_flight");
        using var output = new StringWriter();
        Assert.Equal(0, await AdminCommands.InvokeAsync(["users", "lock", "locked_in_flight"], _gated.Services, output, output, new StringReader("")));
        release();
        using var answer = await login;

        await AssertNoLiveTokenAsync(client, answer);
    }

    [Fact]
    public async Task ADeletion_DuringALogIn_LeavesItNoLiveToken_AndLogsTheRevocation()
    {
        // The log-in writes its device after the deletion revoked the user's devices, before the user's row goes.
        var (client, login, releaseLogin) = await HoldALogInBeforeItsInsertAsync("deleted_in_flight");
        var deletionHeld = _gates.CloseAsync(GatedDeviceStore.AfterDeleteByUser, out var releaseDeletion);
        var deletion = DeleteUserAsync("deleted_in_flight");
        await deletionHeld;
        releaseLogin();
        using var answer = await login;
        releaseDeletion();

        Assert.True((await deletion).Succeeded);
        await AssertNoLiveTokenAsync(client, answer);
    }

    // The log-in has checked the password and waits just before writing its device.
    private async Task<(HttpClient Client, Task<HttpResponseMessage> Login, Action Release)> HoldALogInBeforeItsInsertAsync(string name)
    {
        await _server.AddUserAsync(name);
        var client = _gated.CreateClient();
        var held = _gates.CloseAsync(GatedDeviceStore.BeforeCreate, out var release);
        var login = client.PostLoginAsync(name, "password123");
        await held;
        return (client, login, release);
    }

    private async Task<IdentityResult> DeleteUserAsync(string name)
    {
        await using var scope = _gated.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ServerUser>>();
        return await users.DeleteAsync((await users.FindByNameAsync(name))!);
    }

    private async Task AssertNoLiveTokenAsync(HttpClient client, HttpResponseMessage answer)
    {
        // Either the log-in is refused as a later one would be, or the token it answered is refused at once.
        if (answer.StatusCode == HttpStatusCode.OK)
        {
            var token = (await answer.ReadJsonAsync()).GetProperty("token").GetString();
            Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", token));
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Equal("invalid_credentials", (await answer.ReadJsonAsync()).GetProperty("code").GetString());
        }
        Assert.Equal(0, await _server.CountDevicesAsync());
        Assert.NotEqual(0, await _server.WithDatabaseAsync(db => db.Set<DeviceRevocation>().CountAsync()));
    }
}

public sealed class UserEndedDuringLogInOnSqlite : UserEndedDuringLogInTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class UserEndedDuringLogInOnPostgres : UserEndedDuringLogInTests<PostgresServer>;
