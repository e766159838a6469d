using System.Net;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JwtDevices.Tests;

/// <summary><c>/health/live</c> answers while the process runs; <c>/health/ready</c> follows the database.</summary>
public sealed class HealthEndpointTests : IDisposable
{
    private static readonly string[] DatabaseFileSuffixes = ["", "-wal", "-shm"];

    private readonly ServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Live_And_Ready_Are200Healthy_WhenTheDatabaseIsThere()
    {
        var client = _server.CreateClient();

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Contains("no-store", ready.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_Is503_WhileTheDatabaseIsUnreachable_AndRecovers_WhileLiveStays200()
    {
        var client = _server.CreateClient();
        using (var before = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // Closing the last connection folds the WAL into the database file; move whatever is left, and put
        // a folder in its place so that nothing creates an empty database there meanwhile.
        SqliteConnection.ClearAllPools();
        var files = DatabaseFileSuffixes.Select(suffix => _server.DatabasePath + suffix).Where(File.Exists).ToArray();
        foreach (var file in files)
        {
            File.Move(file, file + ".away");
        }
        Directory.CreateDirectory(_server.DatabasePath);
        using var unready = await client.GetAsync("/health/ready");
        using var live = await client.GetAsync("/health/live");
        SqliteConnection.ClearAllPools();
        Directory.Delete(_server.DatabasePath);
        foreach (var file in files)
        {
            File.Move(file + ".away", file);
        }
        using var readyAgain = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
        var body = await unready.Content.ReadAsStringAsync();
        Assert.Equal("Unhealthy", body);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyAgain.StatusCode);
    }
}
