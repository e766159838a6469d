using System.Net;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests;

/// <summary>The server with no configured key: a key file beside the database that outlives a restart.</summary>
public sealed class ServerSigningKeyTests
{
    [Fact]
    public async Task Server_WithoutConfiguredKey_KeepsOneKeyFile_WarnsOnce_AndTokensSurviveARestart()
    {
        await using var first = new ServerFactory(("JwtDevices:SigningKey", ""));
        await first.AddUserAsync("key_file_user");
        var login = await first.CreateClient().LoginAsync("key_file_user");
        var keyFile = Path.ChangeExtension(first.DatabasePath, ".key");

        await using var restarted = new ServerFactory(
            ("JwtDevices:SigningKey", ""),
            ("ConnectionStrings:Default", $"Data Source={first.DatabasePath}"));
        using var response = await restarted.CreateClient().SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);

        Assert.True(File.Exists(keyFile));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(first.LogLines, line => line.Contains("SigningKeyFile[100]", StringComparison.Ordinal));
        Assert.DoesNotContain(await File.ReadAllTextAsync(keyFile), string.Join('\n', first.LogLines), StringComparison.Ordinal);
    }
}
