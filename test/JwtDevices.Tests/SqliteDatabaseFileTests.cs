using System.Runtime.Versioning;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests;

/// <summary>
/// The SQLite database holds password hashes, e-mails and security stamps: the server and its commands
/// create it owner-only, with its side files, and warn about an existing one that others may read.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SqliteDatabaseFileTests : IDisposable
{
    private const UnixFileMode OthersMayAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private readonly string _directory = Directory.CreateTempSubdirectory("jwtdevices-dbfile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task TheServer_CreatesTheDatabaseAndItsWalFilesOwnerOnly()
    {
        using var server = new ServerFactory();
        await server.AddUserAsync("owner_only");
        await server.CreateClient().LoginAsync("owner_only");

        foreach (var file in new[] { server.DatabasePath, server.DatabasePath + "-wal", server.DatabasePath + "-shm" })
        {
            Assert.True(File.Exists(file), $"{file} is missing.");
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(file) & OthersMayAccess);
        }
        Assert.DoesNotContain(server.LogLines, line => line.Contains("can be read or written by other users", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACommand_CreatesTheDatabaseOwnerOnly()
    {
        var database = Path.Combine(_directory, "command.db");

        var result = await ServerProcess.RunAsync("a password\n", null,
            ["users", "add", "cli_owner_only", "--password-stdin", $"--ConnectionStrings:Default=Data Source={database}", $"--JwtDevices:SigningKey={ServerFactory.SigningKey}"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(database) & OthersMayAccess);
        Assert.DoesNotContain("other users", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExistingDatabaseOthersMayRead_IsWarnedAbout_ByTheServerAndByACommand()
    {
        var database = Path.Combine(_directory, "loose.db");
        File.WriteAllBytes(database, []);
        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = await ServerProcess.RunAsync(null, null, ["users", "list", $"--ConnectionStrings:Default=Data Source={database}", $"--JwtDevices:SigningKey={ServerFactory.SigningKey}"]);
        using var server = new ServerFactory(("ConnectionStrings:Default", $"Data Source={database}"));
        await server.AddUserAsync("loose");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"The database file {database} can be read or written by other users", result.Error, StringComparison.Ordinal);
        Assert.Contains(server.LogLines, line => line.StartsWith("Warning", StringComparison.Ordinal)
            && line.Contains($"The database file {database} can be read or written by other users", StringComparison.Ordinal));
    }
}
