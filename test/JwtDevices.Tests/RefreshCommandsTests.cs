using System.Net;
using JwtDevices.Tests.Infrastructure;
using JwtDevices.Tests.Rotation;

namespace JwtDevices.Tests;

/// <summary>
/// Pins the database commands of one refresh, so that a change that adds a round trip fails here: rotation off,
/// within and past the last-seen accuracy window; rotation on, for the current token and for a retry of the
/// previous one within the reuse interval. A failure lists the commands the refresh sent.
/// </summary>
public abstract class RefreshCommandsTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private readonly List<ServerFactory> _servers = [];

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }
    }

    [Fact]
    public async Task Refresh_WithinTheAccuracyWindow_ReadsTheDeviceAndTheUser_AndWritesNothing()
    {
        var (server, client, login) = await LogInAsync(rotate: false);

        var commands = await CommandsOfAsync(server, () => ExpectRefreshedAsync(client, login.PermanentToken));

        AssertCommands(["jwt_devices", "AspNetUsers"], commands);
    }

    [Fact]
    public async Task Refresh_PastTheAccuracyWindow_AlsoWritesTheLastSeenTime_InOneUpdate()
    {
        var (server, client, login) = await LogInAsync(rotate: false);
        server.Time.Advance(TimeSpan.FromMinutes(31));

        var commands = await CommandsOfAsync(server, () => ExpectRefreshedAsync(client, login.PermanentToken));

        AssertCommands(["jwt_devices", "AspNetUsers", "UPDATE"], commands);
    }

    [Fact]
    public async Task Refresh_WithRotation_ReadsTheDeviceAndTheUser_AndRotatesInOneConditionalUpdate()
    {
        var (server, client, login) = await LogInAsync(rotate: true);
        var first = await ExpectRefreshedAsync(client, login.PermanentToken);

        var commands = await CommandsOfAsync(server, () => ExpectRefreshedAsync(client, first.PermanentToken));

        AssertCommands(["jwt_devices", "AspNetUsers", "UPDATE"], commands);
    }

    [Fact]
    public async Task Refresh_WithRotation_RetryOfThePreviousToken_ReadsTheDeviceAndTheUser_AndWritesNothing()
    {
        var (server, client, login) = await LogInAsync(rotate: true);
        await ExpectRefreshedAsync(client, login.PermanentToken);

        var commands = await CommandsOfAsync(server, () => ExpectRefreshedAsync(client, login.PermanentToken));

        AssertCommands(["jwt_devices", "AspNetUsers"], commands);
    }

    private async Task<(ServerFactory Server, HttpClient Client, ApiClient.Login Login)> LogInAsync(bool rotate)
    {
        // EF Core logs every command it executes (event 20101), with its text: a failure shows what was sent. The
        // clock moves: no cleanup, no poll of the revocation log and no check of SQLite's data version may run meanwhile.
        var server = new TServer().WithSettings(
            ("JwtDevices:RotatePermanentTokens", rotate ? "true" : "false"),
            ("JwtDevices:CleanupInterval", "30.00:00:00"),
            ("JwtDevices:RevocationPollInterval", "30.00:00:00"),
            ("Database:SqliteChangeCheckInterval", "00:00:00"),
            ("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Information"));
        _servers.Add(server);
        await server.AddUserAsync("counted");
        var client = server.CreateClient();
        return (server, client, await client.LoginAsync("counted"));
    }

    private static async Task<RefreshAnswer> ExpectRefreshedAsync(HttpClient client, string? permanentToken)
    {
        var answer = await RefreshAnswer.OfAsync(client, permanentToken);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer;
    }

    // The commands (their logged text) sent while the action ran; the counter and the log must agree.
    private static async Task<List<string>> CommandsOfAsync(ServerFactory server, Func<Task> action)
    {
        var countedBefore = server.Commands.Count;
        var loggedBefore = ExecutedCommands(server).Count;
        await action();
        var logged = ExecutedCommands(server).Skip(loggedBefore).ToList();
        Assert.Equal(logged.Count, server.Commands.Count - countedBefore);
        return logged;
    }

    private static List<string> ExecutedCommands(ServerFactory server) =>
        [.. server.LogLines.Where(line => line.Contains("Microsoft.EntityFrameworkCore.Database.Command[20101]", StringComparison.Ordinal))];

    // One command per expected fragment, in order, each containing its fragment.
    private static void AssertCommands(string[] expected, List<string> commands)
    {
        var sent = string.Join("\n---\n", commands);
        Assert.True(expected.Length == commands.Count, $"Expected {expected.Length} database commands, got {commands.Count}:\n{sent}");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(commands[i].Contains(expected[i], StringComparison.Ordinal), $"Command {i + 1} should touch {expected[i]}:\n{sent}");
        }
    }
}

public sealed class RefreshCommandsOnSqlite : RefreshCommandsTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class RefreshCommandsOnPostgres : RefreshCommandsTests<PostgresServer>;
