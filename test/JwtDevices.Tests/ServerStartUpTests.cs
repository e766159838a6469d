using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests;

/// <summary>Database settings the server cannot start with stop it at once, with one line that names the setting.</summary>
public sealed class ServerStartUpTests
{
    [Theory]
    [InlineData("MySql")]
    [InlineData("postgresql")]
    public async Task UnknownProvider_StopsStartUp_WithOneLineNamingTheSettingAndValue(string provider)
    {
        var result = await ServerProcess.RunAsync($"--Database:Provider={provider}", "--urls=http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: Database:Provider must be Sqlite or Postgres, not '{provider}'.", result.Error.Trim());
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task ProviderThatNeedsAServer_WithoutConnectionString_StopsStartUp_WithOneLine()
    {
        var result = await ServerProcess.RunAsync("--Database:Provider=Postgres", "--ConnectionStrings:Default=", "--urls=http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains("ConnectionStrings:Default", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownProvider_StopsACommandToo()
    {
        var result = await ServerProcess.RunAsync("devices", "purge-expired", "--Database:Provider=Oracle");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: Database:Provider must be Sqlite or Postgres, not 'Oracle'.", result.Error.Trim());
    }
}
