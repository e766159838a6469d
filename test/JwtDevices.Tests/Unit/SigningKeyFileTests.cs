using System.Runtime.Versioning;
using JwtDevices.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace JwtDevices.Tests.Unit;

/// <summary>The server's generated key file: created once beside the database, owner-only, then reused.</summary>
public sealed class SigningKeyFileTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jwtdevices-keyfile-");

    private string DatabasePath => Path.Combine(_directory.FullName, "app.db");

    private string KeyPath => Path.Combine(_directory.FullName, "app.key");

    [Fact]
    public void PostConfigure_WithoutKey_CreatesKeyFileBesideTheDatabase()
    {
        var options = new JwtDevicesOptions();

        KeyFile().PostConfigure(null, options);

        Assert.True(File.Exists(KeyPath), $"No key file at {KeyPath}.");
        Assert.Equal(options.SigningKey, File.ReadAllText(KeyPath).Trim());
        Assert.Equal(32, Convert.FromBase64String(options.SigningKey!).Length);
    }

    [Fact]
    public void PostConfigure_WithoutKey_GivesAKeyTheValidatorAccepts()
    {
        var options = new JwtDevicesOptions();

        KeyFile().PostConfigure(null, options);

        var result = new JwtDevicesOptionsValidator().Validate(null, options);
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void PostConfigure_WithoutKey_CreatesTheFileOwnerOnly()
    {
        KeyFile().PostConfigure(null, new JwtDevicesOptions());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
    }

    [Fact]
    public void PostConfigure_TwiceWithoutKey_ReadsTheSameKey()
    {
        var first = new JwtDevicesOptions();
        var second = new JwtDevicesOptions();

        KeyFile().PostConfigure(null, first);
        KeyFile().PostConfigure(null, second);

        Assert.NotNull(first.SigningKey);
        Assert.Equal(first.SigningKey, second.SigningKey);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void PostConfigure_WithAnExistingFile_UsesItsKey()
    {
        var existing = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        File.WriteAllText(KeyPath, existing + "\n");
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var options = new JwtDevicesOptions();

        KeyFile().PostConfigure(null, options);

        Assert.Equal(existing, options.SigningKey);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.OtherWrite)]
    [UnsupportedOSPlatform("windows")]
    public void PostConfigure_WithAFileOthersCanAccess_RefusesIt_AndSaysHowToFixIt(UnixFileMode mode)
    {
        File.WriteAllText(KeyPath, Convert.ToBase64String(new byte[32]));
        File.SetUnixFileMode(KeyPath, mode);

        var error = Assert.Throws<ServerConfigurationException>(() => KeyFile().PostConfigure(null, new JwtDevicesOptions()));

        Assert.Contains($"chmod 600 '{KeyPath}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(new byte[32]), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostConfigure_WithoutKey_LeavesOnlyTheKeyFile()
    {
        KeyFile().PostConfigure(null, new JwtDevicesOptions());

        Assert.Equal([KeyPath], _directory.EnumerateFiles().Select(file => file.FullName));
    }

    [Fact]
    public void PostConfigure_WithAConfiguredKey_LeavesItAndCreatesNoFile()
    {
        const string configured = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
        var options = new JwtDevicesOptions { SigningKey = configured };

        KeyFile().PostConfigure(null, options);

        Assert.Equal(configured, options.SigningKey);
        Assert.Empty(_directory.EnumerateFileSystemInfos());
    }

    [Fact]
    public void PathFor_IsTheDatabaseNameWithKeyExtension()
    {
        var path = SigningKeyFile.PathFor($"Data Source={DatabasePath}");

        Assert.Equal(KeyPath, path);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private SigningKeyFile KeyFile()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = $"Data Source={DatabasePath}" })
            .Build();
        return new SigningKeyFile(configuration, new HostingEnvironment { ContentRootPath = _directory.FullName }, NullLogger<SigningKeyFile>.Instance);
    }
}
