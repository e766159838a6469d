using System.Diagnostics;
using System.Net;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Tests;

/// <summary>
/// The server's command line as an operator runs it, as its own process: help that does not serve, and
/// commands that take the database from the same settings as the server, passwords from outside the
/// process list, and answer with exit codes.
/// </summary>
public abstract class ServerCommandLineTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    private string[] Settings =>
    [
        $"--Database:Provider={server.Provider}",
        $"--ConnectionStrings:Default={server.ConnectionString}",
        $"--JwtDevices:SigningKey={ServerFactory.SigningKey}",
    ];

    [Fact]
    public async Task UsersAdd_TakesThePasswordFromTheEnvironment_AndTheDatabaseFromItsArguments()
    {
        var result = await ServerProcess.RunAsync(
            null, new Dictionary<string, string> { ["JWTDEVICES_PASSWORD"] = "from the environment" },
            ["users", "add", "cli_env", .. Settings]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith("Added user 'cli_env' with id ", result.Output, StringComparison.Ordinal);
        using var login = await server.CreateClient().PostLoginAsync("cli_env", "from the environment");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task UsersAdd_TakesThePasswordFromStandardInput()
    {
        var result = await ServerProcess.RunAsync("piped password\n", null, ["users", "add", "cli_stdin", "--password-stdin", "--admin", .. Settings]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith("Added administrator 'cli_stdin'", result.Output, StringComparison.Ordinal);
        using var login = await server.CreateClient().PostLoginAsync("cli_stdin", "piped password");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task UsersList_PrintsOnlyTheTable_OnStandardOutput()
    {
        await server.AddUserAsync("cli_listed");

        var result = await ServerProcess.RunAsync(["users", "list", .. Settings]);

        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID  NAME", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, line => line.Contains(" cli_listed ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DevicesListAndUsersList_PrintStoredControlCharactersAsEscapes()
    {
        // Written straight to the database, as an older version or a Django import may have left them.
        var userId = await server.AddUserAsync("cli_escapes");
        var login = await server.CreateClient().LoginAsync("cli_escapes");
        await server.WithDatabaseAsync(db => db.Set<Devices.Device>().Where(d => d.Id == login.DeviceId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Name, "evil\u001b]0;owned\u0007").SetProperty(d => d.Details, "agent\u009b2J")));
        await server.WithDatabaseAsync(db => db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Email, "e\u001b[2J@example.com")));

        var devices = await ServerProcess.RunAsync(["devices", "list", "--user", "cli_escapes", .. Settings]);
        var users = await ServerProcess.RunAsync(["users", "list", .. Settings]);

        Assert.True(devices.ExitCode == 0, devices.Error);
        Assert.True(users.ExitCode == 0, users.Error);
        Assert.DoesNotContain(devices.Output, c => char.IsControl(c) && c != '\n');
        Assert.DoesNotContain(users.Output, c => char.IsControl(c) && c != '\n');
        var device = Assert.Single(devices.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
        Assert.Contains(@" evil\x1B]0;owned\x07 ", device, StringComparison.Ordinal);
        Assert.Contains(@" agent\u009B2J ", device, StringComparison.Ordinal);
        Assert.Contains(users.Output.Split('\n'), line => line.Contains(@" cli_escapes  e\x1B[2J@example.com ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DevicesRevoke_AnUnknownDevice_Exits1_WithOneLineOnStandardError()
    {
        var result = await ServerProcess.RunAsync(["devices", "revoke", "987654", .. Settings]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: no device has id 987654.", result.Error.Trim());
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task DevicesList_ForAUserThatDoesNotExist_Exits1_AsTheUsersCommandsDo()
    {
        var result = await ServerProcess.RunAsync(["devices", "list", "--user", "nobody", .. Settings]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: no user is named 'nobody'.", result.Error.Trim());
        Assert.Equal(string.Empty, result.Output);
    }
}

public sealed class ServerCommandLineOnSqlite(SqliteServer server) : ServerCommandLineTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class ServerCommandLineOnPostgres(PostgresServer server) : ServerCommandLineTests<PostgresServer>(server);

/// <summary>Help: for the server and each command, exit code 0, and the server does not start serving.</summary>
public sealed class ServerHelpTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--help", "--urls=http://127.0.0.1:0")]
    public async Task Help_ForTheServer_Exits0_WithoutServing(params string[] args)
    {
        var watch = Stopwatch.StartNew();

        var result = await ServerProcess.RunAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Without a command it serves the API", result.Output, StringComparison.Ordinal);
        Assert.Contains("users", result.Output, StringComparison.Ordinal);
        Assert.Contains("devices", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", result.Output + result.Error, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData("users", "add", "name", "--password", "--password-stdin", "--email", "--admin")]
    [InlineData("users", "set-password", "name", "--password", "--password-stdin")]
    [InlineData("users", "lock", "name")]
    [InlineData("devices", "list", "--user", "--search")]
    [InlineData("devices", "revoke", "id")]
    [InlineData("devices", "purge-expired")]
    public async Task Help_ForEachCommand_Exits0_AndNamesItsArguments(string group, string command, params string[] mentions)
    {
        // A database setting that cannot work: help must not need one.
        var result = await ServerProcess.RunAsync(group, command, "--help", "--Database:Provider=Oracle");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DevicesRevoke_WithADeviceIdThatIsNotANumber_IsOneLineNamingTheArgument()
    {
        var result = await ServerProcess.RunAsync("devices", "revoke", "abc");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: the device id must be a whole number, as devices list shows it, not 'abc'; see devices revoke --help.", result.Error.Trim());
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task ACommand_WithoutAConfiguredKey_MakesTheKeyFile_WithoutWarningAboutIt()
    {
        var directory = Directory.CreateTempSubdirectory("jwtdevices-no-key-");
        try
        {
            var result = await ServerProcess.RunAsync("users", "list", $"--ConnectionStrings:Default=Data Source={directory.FullName}/server.db");

            Assert.True(result.ExitCode == 0, result.Error);
            // The warning is the server's to give when it starts (ServerSigningKeyTests).
            Assert.Equal(string.Empty, result.Error);
            Assert.True(File.Exists(Path.Combine(directory.FullName, "server.key")));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AnUnknownCommand_Exits1_AndSaysSo()
    {
        var result = await ServerProcess.RunAsync("users", "rename", "x");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("rename", result.Error, StringComparison.Ordinal);
    }
}
