using System.Net;
using JwtDevices.Server.Users;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests;

/// <summary>
/// The server's <c>users</c> commands against the configured database: what each changes, that ending a
/// user's access ends their devices' tokens at once, and the one-line errors with exit code 1.
/// </summary>
public abstract class UserCommandsTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Fact]
    public async Task Add_WithAdmin_GrantsTheAdminRole_AndWithoutIt_DoesNot()
    {
        var admin = await server.RunCommandAsync("users", "add", "uc_admin", "--password", "password123", "--admin");
        var plain = await server.RunCommandAsync("users", "add", "uc_plain", "--password", "password123");

        Assert.Equal((0, 0), (admin.ExitCode, plain.ExitCode));
        Assert.StartsWith("Added administrator 'uc_admin' with id ", admin.Output, StringComparison.Ordinal);
        Assert.True(await IsAdminAsync("uc_admin"));
        Assert.False(await IsAdminAsync("uc_plain"));
    }

    [Fact]
    public async Task Add_WithATakenName_Exits1_WithOneLineNamingIt()
    {
        await server.AddUserAsync("uc_taken");

        var result = await server.RunCommandAsync("users", "add", "uc_taken", "--password", "password123");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: Username 'uc_taken' is already taken.", result.Error.Trim());
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task List_ShowsEachUser_WithEmailRoleLockOutAndDeviceCount()
    {
        await server.RunCommandAsync("users", "add", "uc_list_admin", "--password", "password123", "--email", "boss@example.com", "--admin");
        await server.AddUserAsync("uc_list_locked");
        await server.CreateClient().LoginAsync("uc_list_admin");
        await server.CreateClient().LoginAsync("uc_list_admin");
        await server.RunCommandAsync("users", "lock", "uc_list_locked");

        var result = await server.RunCommandAsync("users", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["ID", "NAME", "EMAIL", "ADMIN", "LOCKED", "DEVICES"], result.Output.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["uc_list_admin", "boss@example.com", "yes", "no", "2"], result.Rows.Single(row => row[1] == "uc_list_admin")[1..]);
        Assert.Equal(["uc_list_locked", "uc_list_locked@example.com", "no", "yes", "0"], result.Rows.Single(row => row[1] == "uc_list_locked")[1..]);
    }

    [Fact]
    public async Task Remove_DeletesTheUser_AndTheirTokensAreRefusedAtOnce()
    {
        await server.AddUserAsync("uc_remove");
        var client = server.CreateClient();
        var login = await client.LoginAsync("uc_remove");

        var result = await server.RunCommandAsync("users", "remove", "uc_remove");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Removed user 'uc_remove' and their devices.", result.Output.Trim());
        Assert.Null(await FindUserAsync("uc_remove"));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/devices/", login.Token));
    }

    [Fact]
    public async Task Lock_RefusesLogIn_AndRevokesEveryDevice_UnlockLetsTheUserBackIn()
    {
        await server.AddUserAsync("uc_lock");
        var client = server.CreateClient();
        var first = await client.LoginAsync("uc_lock");
        var second = await client.LoginAsync("uc_lock");

        var locked = await server.RunCommandAsync("users", "lock", "uc_lock");

        Assert.Equal(0, locked.ExitCode);
        Assert.Equal("Locked user 'uc_lock' and revoked 2 devices.", locked.Output.Trim());
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/devices/", first.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/devices/", second.Token));
        using (var refused = await client.PostLoginAsync("uc_lock", "password123"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        var unlocked = await server.RunCommandAsync("users", "unlock", "uc_lock");

        Assert.Equal(0, unlocked.ExitCode);
        Assert.Equal("Unlocked user 'uc_lock'.", unlocked.Output.Trim());
        using var accepted = await client.PostLoginAsync("uc_lock", "password123");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task SetPassword_FromStandardInput_ReplacesThePassword_AndRevokesEveryDevice()
    {
        await server.AddUserAsync("uc_password");
        var client = server.CreateClient();
        var login = await client.LoginAsync("uc_password");

        var result = await server.RunCommandWithInputAsync("new password 2\n", "users", "set-password", "uc_password", "--password-stdin");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Set the password of 'uc_password' and revoked 1 device.", result.Output.Trim());
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/devices/", login.Token));
        using (var old = await client.PostLoginAsync("uc_password", "password123"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        }
        using var fresh = await client.PostLoginAsync("uc_password", "new password 2");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task SetPassword_TooShort_Exits1_AndKeepsTheOldPasswordAndDevices()
    {
        await server.AddUserAsync("uc_short");
        var client = server.CreateClient();
        var login = await client.LoginAsync("uc_short");

        var result = await server.RunCommandAsync("users", "set-password", "uc_short", "--password", "1234567");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("8 characters", Assert.Single(result.Error.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/devices/", login.Token));
        using var old = await client.PostLoginAsync("uc_short", "password123");
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
    }

    [Theory]
    [InlineData("remove")]
    [InlineData("lock")]
    [InlineData("unlock")]
    [InlineData("set-password")]
    public async Task AnUnknownUser_Exits1_WithOneLineNamingIt(string command)
    {
        string[] password = command == "set-password" ? ["--password", "password123"] : [];

        var result = await server.RunCommandAsync(["users", command, "uc_nobody", .. password]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: no user is named 'uc_nobody'.", result.Error.Trim());
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task Help_ForUsers_NamesEveryCommand_AndExits0()
    {
        var result = await server.RunCommandAsync("users", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "add", "list", "remove", "lock", "unlock", "set-password" })
        {
            Assert.Contains($"  {command} ", result.Output, StringComparison.Ordinal);
        }
    }

    private async Task<ServerUser?> FindUserAsync(string name)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<ServerUser>>().FindByNameAsync(name);
    }

    private async Task<bool> IsAdminAsync(string name)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ServerUser>>();
        return await users.IsInRoleAsync((await users.FindByNameAsync(name))!, ServerRoles.Admin);
    }
}

public sealed class UserCommandsOnSqlite(SqliteServer server) : UserCommandsTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class UserCommandsOnPostgres(PostgresServer server) : UserCommandsTests<PostgresServer>(server);
