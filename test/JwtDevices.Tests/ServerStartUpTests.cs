using System.Net;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests;

/// <summary>
/// Settings the server cannot start with stop it at once, with one line per bad setting that names it,
/// and exit code 1; a server that starts says which lifetimes are in force, and nothing about Data Protection.
/// </summary>
public sealed class ServerStartUpTests
{
    [Fact]
    public async Task BadSettings_StopStartUp_WithOneLineEach_NamingTheSettingAndItsValue_AndNoStackTrace()
    {
        var result = await ServerProcess.RunAsync(
            "--JwtDevices:AccessTokenLifetime=00:00:00", "--JwtDevices:ClockSkew=-00:00:05",
            "--JwtDevices:CleanupInterval=90.00:00:00", "--urls=http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                "error: JwtDevices:AccessTokenLifetime must be greater than zero (it is 00:00:00).",
                "error: JwtDevices:CleanupInterval must be greater than zero and at most 30 days (it is 90.00:00:00).",
                "error: JwtDevices:ClockSkew must not be negative (it is -00:00:05).",
            ],
            result.Error.Trim().Split('\n').Order(StringComparer.Ordinal));
        Assert.DoesNotContain("Now listening", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JwtDevices:AccessTokenLifetime", "5m", "a time: write [days.]hours:minutes:seconds")]
    [InlineData("JwtDevices:EnablePermanentTokens", "yes", "true or false")]
    [InlineData("JwtDevices:ClockSkew", "", "a time: write [days.]hours:minutes:seconds")]
    [InlineData("Database:SqliteChangeCheckInterval", "250ms", "a time: write [days.]hours:minutes:seconds")]
    [InlineData("Database:PostgresNotifications", "on", "true or false")]
    public async Task AnUnreadableValue_StopsStartUp_WithOneLineSayingWhatIsExpected(string setting, string value, string expected)
    {
        var result = await ServerProcess.RunAsync($"--{setting}={value}", "--urls=http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith($"error: {setting} is '{value}', which is not {expected}", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Database:SqliteChangeCheckInterval", "-00:00:01", "SqliteChangeCheckInterval must be between 00:00:00 (off) and 00:01:00")]
    [InlineData("Database:PostgresNotificationChannel", "jwt-devices", "PostgresNotificationChannel must be 1 to 63 ASCII letters, digits or underscores")]
    public async Task ABadRevocationWatchSetting_StopsStartUp_WithOneLineNamingIt(string setting, string value, string expected)
    {
        var result = await ServerProcess.RunAsync($"--{setting}={value}", "--urls=http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadKey_IsNamed_ButNeverShown()
    {
        const string Key = "not-base64-but-secret!";

        var result = await ServerProcess.RunAsync($"--JwtDevices:SigningKey={Key}", "--urls=http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: JwtDevices:SigningKey is not valid base64.", result.Error.Trim());
        Assert.DoesNotContain("secret", result.Output + result.Error, StringComparison.Ordinal);
    }

    // The server's user store ends a deleted user's devices, so it needs JwtDevices' own settings: the check that it
    // keeps roles must not make one while those settings are being checked.
    [Fact]
    public async Task IncludeRolesOn_StartsTheServer_WhoseUserStoreKeepsRoles()
    {
        var result = await ServerProcess.RunAsync("users", "list", "--JwtDevices:IncludeRoles=true");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("No users.", result.Output.Trim());
    }

    [Fact]
    public async Task BadSettings_StopACommandToo()
    {
        var result = await ServerProcess.RunAsync("users", "list", "--JwtDevices:AccessTokenLifetime=-00:01:00");

        Assert.Equal(1, result.ExitCode);
        // Standard error also has the warning that no key is configured.
        Assert.Equal(
            ["error: JwtDevices:AccessTokenLifetime must be greater than zero (it is -00:01:00)."],
            result.Error.Split('\n').Where(line => line.StartsWith("error:", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(null, null, "access tokens: 5 minutes; permanent tokens: 7 days sliding, last-seen written every 30 minutes")]
    [InlineData("30", "00:00:00", "access tokens: 30 days; permanent tokens: 7 days sliding, last-seen written on every refresh")]
    [InlineData("00:00:30", "00:01:30", "access tokens: 30 seconds; permanent tokens: 7 days sliding, last-seen written every 1 minute 30 seconds")]
    public void StartUp_LogsTheLifetimesInForce_InWords(string? accessTokenLifetime, string? accuracy, string expected)
    {
        using var server = accessTokenLifetime is null
            ? new ServerFactory()
            : new ServerFactory(("JwtDevices:AccessTokenLifetime", accessTokenLifetime), ("JwtDevices:PermanentTokenExpirationAccuracy", accuracy));

        server.CreateClient().Dispose();

        Assert.Contains($"Information JwtDevices.Server.Hosting.ServerStartUp[110] Lifetimes in force: {expected}. ", server.LogLines);
    }

    [Fact]
    public void StartUp_InPlainJwtMode_SaysPermanentTokensAreOff()
    {
        using var server = new ServerFactory(("JwtDevices:EnablePermanentTokens", "false"));

        server.CreateClient().Dispose();

        Assert.Contains(server.LogLines, line => line.Contains("access tokens: 5 minutes; permanent tokens: off (plain JWT mode).", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DataProtection_IsNotRegistered_AndSaysNothing()
    {
        using var server = new ServerFactory();
        await server.AddUserAsync("dp_user");
        var client = server.CreateClient();

        var login = await client.LoginAsync("dp_user");
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/devices/", login.Token));

        Assert.Null(server.Services.GetService<IDataProtectionProvider>());
        Assert.DoesNotContain(server.LogLines, line => line.Contains("DataProtection", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies", "10.0.0.300", "not an IP address")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/99", "not a network in CIDR notation")]
    public async Task ABadProxySetting_StopsStartUp_WithOneLine(string setting, string value, string expected)
    {
        var result = await ServerProcess.RunAsync($"--{setting}={value}", "--urls=http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith($"error: {setting} is '{value}', which is {expected} (", line, StringComparison.Ordinal);
    }

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
