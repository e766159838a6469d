using System.Net;
using JwtDevices.Server.Commands;
using JwtDevices.Server.Users;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Unit;

/// <summary>The server's <c>users add</c> command.</summary>
public abstract class UsersCommandTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Fact]
    public async Task AddUser_Returns0_AndTheUserCanLogIn()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await UsersCommand.AddUserAsync(server.Services, "cmd_new_user", "password123", null, output, error);

        Assert.Equal(0, exitCode);
        Assert.Contains("cmd_new_user", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, error.ToString());
        using var response = await server.CreateClient().PostLoginAsync("cmd_new_user", "password123");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AddUser_WithEmail_StoresTheEmail()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await UsersCommand.AddUserAsync(server.Services, "cmd_email", "password123", "cmd@example.com", output, error);

        Assert.Equal(0, exitCode);
        var user = await FindUserAsync("cmd_email");
        Assert.Equal("cmd@example.com", user?.Email);
    }

    [Fact]
    public async Task AddUser_WithADuplicateName_ReturnsNonZero_AndSaysTheNameIsTaken()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, await UsersCommand.AddUserAsync(server.Services, "cmd_duplicate", "password123", null, output, error));

        var exitCode = await UsersCommand.AddUserAsync(server.Services, "cmd_duplicate", "other-password", null, output, error);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("already taken", error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("cmd_duplicate", error.ToString(), StringComparison.Ordinal);
        using var response = await server.CreateClient().PostLoginAsync("cmd_duplicate", "other-password");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AddUser_WithASevenCharacterPassword_ReturnsNonZero_AndCreatesNoUser()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await UsersCommand.AddUserAsync(server.Services, "cmd_short_password", "1234567", null, output, error);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("8 characters", error.ToString(), StringComparison.Ordinal);
        Assert.Null(await FindUserAsync("cmd_short_password"));
    }

    [Fact]
    public async Task AddUser_WithAnEightCharacterPassword_Returns0()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await UsersCommand.AddUserAsync(server.Services, "cmd_eight", "12345678", null, output, error);

        Assert.True(exitCode == 0, error.ToString());
    }

    [Fact]
    public async Task Invoke_WithoutPassword_ReturnsNonZero_AndCreatesNoUser()
    {
        var exitCode = await AdminCommands.InvokeAsync(["users", "add", "cmd_no_password"], server.Services);

        Assert.NotEqual(0, exitCode);
        Assert.Null(await FindUserAsync("cmd_no_password"));
    }

    [Fact]
    public async Task Invoke_WithPasswordStdin_ReadsThePasswordFromStandardInput()
    {
        using var input = new StringReader("from-standard-input\n");

        var exitCode = await AdminCommands.InvokeAsync(["users", "add", "cmd_stdin", "--password-stdin"], server.Services, input: input);

        Assert.Equal(0, exitCode);
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ServerUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByNameAsync("cmd_stdin"))!, "from-standard-input"));
    }

    [Theory]
    [InlineData(null, false, "", "from-variable", "from-variable", null)]
    [InlineData("from-option", false, "", "from-variable", "from-option", null)]
    [InlineData(null, true, "from-input\nsecond line", "from-variable", "from-input", null)]
    [InlineData("from-option", true, "from-input", null, null, "not both")]
    [InlineData(null, false, "", null, null, "JWTDEVICES_PASSWORD")]
    [InlineData(null, true, "", null, null, "--password-stdin")]
    public async Task ThePassword_ComesFromExactlyOneSource(
        string? option, bool fromStandardInput, string input, string? variable, string? expected, string? problemMentions)
    {
        using var reader = new StringReader(input);

        var (password, problem) = await PasswordSource.ChooseAsync(option, fromStandardInput, reader, variable);

        Assert.Equal(expected, password);
        if (problemMentions is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(problemMentions, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Invoke_WithPassword_AddsTheUser()
    {
        var exitCode = await AdminCommands.InvokeAsync(["users", "add", "cmd_invoke", "--password", "password123"], server.Services);

        Assert.Equal(0, exitCode);
        Assert.NotNull(await FindUserAsync("cmd_invoke"));
    }

    [Theory]
    [InlineData("users", true)]
    [InlineData("devices", true)]
    [InlineData("serve", false)]
    [InlineData("--users", false)]
    public void Handles_OnlyTheAdminCommands(string first, bool handled)
    {
        Assert.Equal(handled, AdminCommands.Handles([first, "add"]));
        Assert.Equal(handled, AdminCommands.Handles(["--Database:Provider=Sqlite", first, "add"]));
    }

    private async Task<ServerUser?> FindUserAsync(string name)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<ServerUser>>().FindByNameAsync(name);
    }
}

public sealed class UsersCommandOnSqlite(SqliteServer server) : UsersCommandTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class UsersCommandOnPostgres(PostgresServer server) : UsersCommandTests<PostgresServer>(server);
