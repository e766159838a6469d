using System.Text.RegularExpressions;
using JwtDevices.Server.Hosting;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace JwtDevices.Tests;

/// <summary>
/// A setting the server does not know, in one of its own sections, stops the server and every command
/// with one line naming the nearest known setting, where it used to be ignored; known ones, in any case
/// and as lists, pass; and nothing the repository writes down (appsettings.json, the docs) is refused.
/// </summary>
public sealed partial class UnknownSettingsTests
{
    [Theory]
    [InlineData("JwtDevices:AccesTokenLifetime", "00:00:30", "JwtDevices:AccessTokenLifetime")]
    [InlineData("RateLimits:Enabeld", "false", "RateLimits:Enabled")]
    [InlineData("Database:Providr", "Postgres", "Database:Provider")]
    [InlineData("ForwardedHeaders:KnownProxy", "10.0.0.5", "ForwardedHeaders:KnownProxies")]
    [InlineData("Authentication:Schemes:JwtDevices:AccesTokenLifetime", "00:00:30", "Authentication:Schemes:JwtDevices:AccessTokenLifetime")]
    [InlineData("Database:PostgresNotification", "false", "Database:PostgresNotifications")]
    [InlineData("JwtDevices:Dpop:Mdoe", "Required", "JwtDevices:Dpop:Mode")]
    public async Task AMisspelledSetting_StopsTheServer_NamingTheNearestKnownOne(string setting, string value, string nearest)
    {
        var result = await ServerProcess.RunAsync($"--{setting}={value}", "--urls=http://127.0.0.1:0");

        ServerErrorLineTests.AssertOneErrorLine(result);
        Assert.Equal($"error: unknown setting {setting}; did you mean {nearest}?", result.Error.Trim());
    }

    [Theory]
    [InlineData("users", "list")]
    [InlineData("devices", "purge-expired")]
    [InlineData("import-django", "--connection", "Data Source=django.sqlite3", "--provider", "Sqlite")]
    public async Task AMisspelledSetting_StopsEveryCommandToo(params string[] command)
    {
        var result = await ServerProcess.RunAsync([.. command, "--JwtDevices:RevocationPolInterval=00:00:01"]);

        ServerErrorLineTests.AssertOneErrorLine(result);
        Assert.Equal("error: unknown setting JwtDevices:RevocationPolInterval; did you mean JwtDevices:RevocationPollInterval?", result.Error.Trim());
    }

    [Fact]
    public async Task KnownSettings_InAnyCase_AndAsLists_AreAccepted()
    {
        var result = await ServerProcess.RunAsync(
            "users", "list",
            "--jwtdevices:accesstokenlifetime=00:01:00", $"--JwtDevices:SigningKeys:0={ServerFactory.SigningKey}",
            "--ForwardedHeaders:KnownProxies:0=10.0.0.5", "--RATELIMITS:ENABLED=false", "--database:provider=sqlite",
            "--Database:SqliteChangeCheckInterval=00:00:01", "--Authentication:Schemes:JwtDevices:ClockSkew=00:00:05");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("No users.", result.Output.Trim());
    }

    [Fact]
    public void EveryPropertyOfTheOptionsTypes_IsKnown_WithoutAList()
    {
        var settings = typeof(JwtDevicesOptions).GetProperties().Select(property => $"JwtDevices:{property.Name}")
            .Concat(typeof(JwtDevicesRateLimitOptions).GetProperties().Select(property => $"RateLimits:{property.Name}"))
            .Concat(typeof(JwtDevicesDpopOptions).GetProperties().Select(property => $"JwtDevices:Dpop:{property.Name}"))
            .Distinct() // Events is declared twice (JwtDevicesOptions hides the base class's)
            .ToDictionary(key => key, _ => (string?)"x");

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        Assert.Empty(UnknownSettings.Find(configuration));
    }

    [Fact]
    public void TheServersAppSettings_HoldNoUnknownSetting()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Repository.PathOf("src", "JwtDevices.Server", "appsettings.json")).Build();

        Assert.Empty(UnknownSettings.Find(configuration));
    }

    [Fact]
    public void EverySettingTheDocsName_IsKnown()
    {
        var files = Directory.GetFiles(Repository.PathOf("docs"), "*.md").Append(Repository.PathOf("README.md"))
            .Concat(Directory.GetFiles(Repository.PathOf("src"), "README.md", SearchOption.AllDirectories));
        var named = files
            .SelectMany(file => SettingName().Matches(File.ReadAllText(file)).Select(match => (File: Path.GetFileName(file), Key: $"{match.Groups[1].Value}:{match.Groups[3].Value}")))
            .Distinct()
            .ToList();
        Assert.NotEmpty(named);

        var refused = named.Where(setting =>
            UnknownSettings.Find(new ConfigurationBuilder().AddInMemoryCollection([new(setting.Key, "x")]).Build()).Count > 0);

        Assert.Empty(refused);
    }

    // JwtDevices:AccessTokenLifetime, JwtDevices__SigningKey, --Database:Provider=...; not the misspelling an error message quotes.
    [GeneratedRegex(@"(?<!unknown setting )\b(JwtDevices|RateLimits|Database|ForwardedHeaders|Pages)(:|__)([A-Za-z]+)\b")]
    private static partial Regex SettingName();
}
