using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests;

/// <summary>
/// Where the server keeps its default SQLite database and key file: in its content root, never in whatever
/// folder a command happens to be run from.
/// </summary>
public sealed class ServerContentRootTests : IDisposable
{
    private readonly DirectoryInfo _workingDirectory = Directory.CreateTempSubdirectory("jwtdevices-elsewhere-");
    private readonly DirectoryInfo _contentRoot = Directory.CreateTempSubdirectory("jwtdevices-content-root-");

    public void Dispose()
    {
        _workingDirectory.Delete(recursive: true);
        _contentRoot.Delete(recursive: true);
    }

    [Fact]
    public async Task ACommandRunFromAnotherFolder_UsesTheAppsFolder_AndLeavesTheWorkingFolderEmpty()
    {
        // The tests' output folder holds the server: a file name of this test's own keeps it apart from anything else there.
        var appFolder = Path.GetDirectoryName(ServerProcess.ServerDll)!;
        var name = $"content-root-{Guid.NewGuid():N}";
        try
        {
            var result = await ServerProcess.RunInAsync(
                _workingDirectory.FullName, null, null, "users", "list", $"--ConnectionStrings:Default=Data Source={name}.db");

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Empty(_workingDirectory.EnumerateFileSystemInfos());
            Assert.True(File.Exists(Path.Combine(appFolder, $"{name}.db")));
            Assert.True(File.Exists(Path.Combine(appFolder, $"{name}.key")));
        }
        finally
        {
            foreach (var file in Directory.GetFiles(appFolder, $"{name}.*"))
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task AGivenContentRoot_HoldsTheDefaultDatabaseAndKey_WhateverTheWorkingFolder()
    {
        var result = await ServerProcess.RunInAsync(
            _workingDirectory.FullName, null, null, "users", "list", $"--contentRoot={_contentRoot.FullName}");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("No users.", result.Output.Trim());
        Assert.Empty(_workingDirectory.EnumerateFileSystemInfos());
        Assert.True(File.Exists(Path.Combine(_contentRoot.FullName, "jwtdevices.db")));
        Assert.True(File.Exists(Path.Combine(_contentRoot.FullName, "jwtdevices.key")));
    }

    [Fact]
    public async Task ARelativeDatabaseFile_IsInTheContentRoot()
    {
        var result = await ServerProcess.RunInAsync(
            _workingDirectory.FullName, null, new Dictionary<string, string> { ["DOTNET_CONTENTROOT"] = _contentRoot.FullName },
            "users", "list", "--ConnectionStrings:Default=Data Source=data.db");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Empty(_workingDirectory.EnumerateFileSystemInfos());
        Assert.True(File.Exists(Path.Combine(_contentRoot.FullName, "data.db")));
        Assert.True(File.Exists(Path.Combine(_contentRoot.FullName, "data.key")));
    }
}
