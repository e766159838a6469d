using System.Net;
using JwtDevices.Server.Hosting;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests;

/// <summary>
/// The server on PostgreSQL with no configured key: the key file is kept in the content root, and the
/// log says that several nodes must share one configured key.
/// </summary>
[RequiresService(TestServices.Postgres)]
public sealed class ServerSigningKeyOnPostgresTests : IDisposable
{
    private readonly DirectoryInfo _contentRoot = Directory.CreateTempSubdirectory("jwtdevices-content-");

    public void Dispose() => _contentRoot.Delete(recursive: true);

    [Fact]
    public async Task Server_WithoutConfiguredKey_KeepsTheKeyFileInTheContentRoot_AndWarnsThatNodesMustShareOneKey()
    {
        await using var first = new PostgresServer().WithSettings(("JwtDevices:SigningKey", ""), ("contentRoot", _contentRoot.FullName));
        await first.AddUserAsync("pg_key_user");
        var login = await first.CreateClient().LoginAsync("pg_key_user");
        var keyFile = Path.Combine(_contentRoot.FullName, SigningKeyFile.PostgresKeyFileName);

        await using var restarted = first.OnSameDatabase(("JwtDevices:SigningKey", ""), ("contentRoot", _contentRoot.FullName));
        using var response = await restarted.CreateClient().SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);

        Assert.True(File.Exists(keyFile), $"No key file at {keyFile}.");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(first.LogLines, line => line.Contains("SigningKeyFile[100]", StringComparison.Ordinal) && line.Contains(keyFile, StringComparison.Ordinal));
        Assert.Single(first.LogLines, line => line.Contains("SigningKeyFile[101]", StringComparison.Ordinal));
        Assert.DoesNotContain(await File.ReadAllTextAsync(keyFile), string.Join('\n', first.LogLines), StringComparison.Ordinal);
    }
}
