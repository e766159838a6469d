using System.Net;
using JwtDevices.Endpoints;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JwtDevices.Tests.Revocation;

/// <summary>
/// The SQLite database goes away under a running server (its files are moved aside and a folder takes
/// their place) and comes back: no 500s meanwhile, tokens keep working, and no restart is needed.
/// </summary>
public sealed class SqliteOutageTests : IDisposable
{
    private readonly ServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task WhileTheDatabaseIsUnreachable_DatabaseEndpointsAnswer503_TokensStillWork_AndItRecovers()
    {
        await _server.AddUserAsync("outage");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("outage");

        TakeTheDatabaseAway();
        using var logIn = await client.PostLoginAsync("outage", "password123");
        using var refresh = await client.RefreshAsync(login.PermanentToken);
        using var list = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token);
        using var me = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);
        using var forged = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token[..^4] + "AAAA");
        BringTheDatabaseBack();
        using var afterwards = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token);
        using var refreshAfterwards = await client.RefreshAsync(login.PermanentToken);

        foreach (var response in new[] { logIn, refresh, list })
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, JwtDevicesErrors.ServiceUnavailable);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            var body = await response.Content.ReadAsStringAsync();
            ProblemAssert.HasNoInternals(body);
            Assert.DoesNotContain("Data Source", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(_server.DatabasePath, body, StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal(HttpStatusCode.OK, refreshAfterwards.StatusCode);
    }

    private static readonly string[] s_suffixes = ["", "-wal", "-shm"];

    private void TakeTheDatabaseAway()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in s_suffixes.Where(suffix => File.Exists(_server.DatabasePath + suffix)))
        {
            File.Move(_server.DatabasePath + suffix, _server.DatabasePath + ".away" + suffix);
        }
        Directory.CreateDirectory(_server.DatabasePath);
    }

    private void BringTheDatabaseBack()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_server.DatabasePath);
        foreach (var suffix in s_suffixes.Where(suffix => File.Exists(_server.DatabasePath + ".away" + suffix)))
        {
            File.Move(_server.DatabasePath + ".away" + suffix, _server.DatabasePath + suffix);
        }
    }
}
