using JwtDevices.Tests.Infrastructure;
using Npgsql;

namespace JwtDevices.Tests;

/// <summary>
/// What stops the server or a command, as an operator sees it from the real process: exactly one line on
/// standard error, starting <c>error:</c> and naming the setting or the server to fix, exit code 1, and no
/// stack trace; for the server and for a command alike.
/// </summary>
public sealed class ServerErrorLineTests : IDisposable
{
    internal const string Key = $"--JwtDevices:SigningKey={ServerFactory.SigningKey}";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jwtdevices-errors-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Postgres_WithASqliteConnectionString_IsOneLine_NamingBothSettings(bool command)
    {
        var result = await RunAsync(command, "--Database:Provider=Postgres", "--ConnectionStrings:Default=Data Source=jwtdevices.db");

        AssertOneErrorLine(result, "ConnectionStrings:Default", "Database:Provider=Postgres");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AMissingDatabaseFolder_IsOneLine_NamingTheFolder_NotATemporaryFile(bool command)
    {
        var folder = Path.Combine(_directory.FullName, "missing");

        var result = await RunAsync(command, $"--ConnectionStrings:Default=Data Source={folder}/server.db");

        AssertOneErrorLine(result, $"the folder {folder} does not exist", "ConnectionStrings:Default");
        Assert.DoesNotContain(".tmp", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASqliteFileThatCannotBeOpened_IsOneLine_NamingTheFileAndTheSetting(bool command)
    {
        var file = Path.Combine(_directory.FullName, "missing", "server.db");

        var result = await RunAsync(command, $"--ConnectionStrings:Default=Data Source={file}", Key);

        AssertOneErrorLine(result, $"cannot open the SQLite database {file} (ConnectionStrings:Default)");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task APostgresServerThatIsNotListening_IsOneLine_NamingIt(bool command)
    {
        var port = TestRedis.UnusedPort();

        var result = await RunAsync(
            command, "--Database:Provider=Postgres", $"--ConnectionStrings:Default=Host=127.0.0.1;Port={port};Username=x;Password=y", Key);

        AssertOneErrorLine(result, $"cannot connect to PostgreSQL at tcp://127.0.0.1:{port} (ConnectionStrings:Default)");
    }

    [Fact]
    public async Task AnAddressInUse_IsOneLineOnStandardError_NamingIt()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var address = $"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}";

        var result = await ServerProcess.RunAsync($"--urls={address}", Key);

        // The host also logs its failure, with the exception, on standard output.
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"error: Failed to bind to address {address}: address already in use; stop what listens there, or choose another address with --urls.",
            result.Error.Trim());
    }

    [Fact]
    public async Task AnUnknownCommand_IsOneLine_NamingTheWord()
    {
        var result = await ServerProcess.RunAsync("users", "rename", "x");

        AssertOneErrorLine(result, "unknown command or argument 'rename'", "users --help");
    }

    internal static Task<ServerProcess.Result> RunAsync(bool command, params string[] settings) =>
        ServerProcess.RunAsync(command ? ["users", "list", .. settings] : ["--urls=http://127.0.0.1:0", .. settings]);

    internal static void AssertOneErrorLine(ServerProcess.Result result, params string[] mentions)
    {
        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}: {result.Error}");
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, line, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Output + result.Error, StringComparison.Ordinal);
    }
}

/// <summary>A PostgreSQL server that refuses the log-in: one line naming it, and never the password.</summary>
[RequiresService(TestServices.Postgres)]
public sealed class ServerErrorLineOnPostgresTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task APostgresPasswordThatIsRefused_IsOneLine_NamingTheServer_AndNotThePassword(bool command)
    {
        var wrong = new NpgsqlConnectionStringBuilder(TestServices.PostgresConnectionString) { Password = "not-the-password", Database = "jwtdevices_refused" };

        var result = await ServerErrorLineTests.RunAsync(command, "--Database:Provider=Postgres", $"--ConnectionStrings:Default={wrong}", ServerErrorLineTests.Key);

        ServerErrorLineTests.AssertOneErrorLine(result, $"PostgreSQL at tcp://{wrong.Host}:{wrong.Port} (ConnectionStrings:Default) refused: 28P01");
        Assert.DoesNotContain("not-the-password", result.Output + result.Error, StringComparison.Ordinal);
    }
}
