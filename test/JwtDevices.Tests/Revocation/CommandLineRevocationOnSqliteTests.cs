using System.Diagnostics;
using System.Globalization;
using System.Net;
using JwtDevices.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Revocation;

/// <summary>
/// The README's default set-up, as an operator runs it: the server serving on SQLite as one process, and
/// <c>devices revoke</c> run from the command line as another. The server learns of the other process's
/// revocation from SQLite's data_version within a second, not at its next poll of the log.
/// </summary>
public sealed class CommandLineRevocationOnSqliteTests(ITestOutputHelper output)
{
    private const int Devices = 3;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task DevicesRevoke_FromTheCommandLine_IsRefusedByTheRunningServer_WithinASecond()
    {
        var folder = Directory.CreateTempSubdirectory("jwtdevices-cli-revoke-");
        try
        {
            string[] settings =
            [
                $"--ConnectionStrings:Default=Data Source={Path.Combine(folder.FullName, "jwtdevices.db")}",
                $"--JwtDevices:SigningKey={ServerFactory.SigningKey}",
                "--RateLimits:Enabled=false",
            ];
            // A poll far longer than the test: only the data_version check can bring the revocations in time.
            await using var server = await RunningServerProcess.StartAsync([.. settings, "--JwtDevices:RevocationPollInterval=01:00:00"]);
            var added = await ServerProcess.RunAsync(
                null, new Dictionary<string, string> { ["JWTDEVICES_PASSWORD"] = "password123" }, ["users", "add", "cli_revoke", .. settings]);
            Assert.True(added.ExitCode == 0, added.Error);
            using var client = server.CreateClient();

            var refused = new List<TimeSpan>();
            for (var i = 0; i < Devices; i++)
            {
                var login = await client.LoginAsync("cli_revoke");
                Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));

                var revoked = await ServerProcess.RunAsync(["devices", "revoke", login.DeviceId!.Value.ToString(CultureInfo.InvariantCulture), .. settings]);
                var clock = Stopwatch.StartNew();
                Assert.True(revoked.ExitCode == 0, revoked.Error);
                while (await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token) == HttpStatusCode.OK)
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"The server still accepts the revoked device's JWT after 30 s.\n{server.Output}");
                }
                refused.Add(clock.Elapsed);
            }

            output.WriteLine($"SQLite, from the command line's exit until the server's first 401: {Deployment.Describe(refused)}");
            Assert.True(refused.Max() < Bound, $"The server refused only after {Deployment.Describe(refused)}.");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
