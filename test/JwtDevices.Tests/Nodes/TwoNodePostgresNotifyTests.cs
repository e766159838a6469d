using System.Diagnostics;
using System.Globalization;
using System.Net;
using JwtDevices.EntityFrameworkCore;
using JwtDevices.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>
/// Two nodes on one PostgreSQL database and no Redis: a log-out on node A is notified in its transaction, and
/// node B, listening, refuses the JWT within milliseconds. When B's listening connection is killed, the poll
/// bounds the lag, B warns and reports Degraded, and listens again by itself.
/// </summary>
[Collection(NodeTestsRunAlone.Name)]
[RequiresService(TestServices.Postgres)]
public sealed class TwoNodePostgresNotifyTests(ITestOutputHelper output)
{
    private const int Devices = 50;
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollMargin = TimeSpan.FromSeconds(1); // as in TwoNodePollingRevocationTests

    [Fact]
    public async Task LogOutOnNodeA_IsRefusedOnNodeB_Within100Ms_AtP99_WithoutRedis()
    {
        // A poll interval far longer than the test: only the notifications can bring the revocations across.
        using var deployment = new Deployment(pollInterval: TimeSpan.FromHours(1), postgres: true);
        var a = deployment.StartNode();
        var b = deployment.StartNode();
        await deployment.AddUserAsync("pg_notify");
        Assert.Null(b.Bus);
        Assert.True(a.Watcher.IsWatching && b.Watcher.IsWatching, "Both nodes listen once started.");
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        var refused = await Deployment.MeasureRefusalsAsync(clientA, clientB, "pg_notify", Devices);

        output.WriteLine($"PostgreSQL NOTIFY, no Redis, from A's answer to the log-out until B's first 401: {Deployment.Describe(refused)}");
        Assert.True(Deployment.Percentile(refused, 99) < Bound, $"p99 is not under {Bound.TotalMilliseconds} ms: {Deployment.Describe(refused)}");
    }

    [Fact]
    public async Task ListenerKilled_ThePollBoundsTheLag_AWarningAndHealthShowIt_AndTheListenerComesBack()
    {
        using var deployment = new Deployment(PollInterval, postgres: true);
        var a = deployment.StartNode();
        var b = deployment.StartNode();
        await deployment.AddUserAsync("pg_listener_killed");
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        Assert.Equal("Healthy", await clientB.GetStringAsync("/health/ready"));
        var login = await clientA.LoginAsync("pg_listener_killed");
        Assert.Equal(HttpStatusCode.OK, await clientB.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
        var listener = Assert.IsType<PostgresRevocationListener>(b.Watcher.Watcher);

        Assert.True(await TerminateBackendAsync(deployment.PostgresConnectionString!, listener.BackendProcessId!.Value));
        await Eventually.HoldsAsync(() => b.CountLogged<PostgresRevocationListener>(50) == 1, "B warns that it no longer listens");
        using var degraded = await clientB.GetAsync("/health/ready");
        using (var logout = await clientA.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", login.Token,
            headers: ("Device-Id", login.DeviceId!.Value.ToString(CultureInfo.InvariantCulture))))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }
        var downAtLogOut = !b.Watcher.IsWatching;
        var clock = Stopwatch.StartNew();
        await Eventually.HoldsAsync(
            async () => await clientB.StatusOfAsync(HttpMethod.Get, "/me", login.Token) == HttpStatusCode.Unauthorized,
            "B refuses the JWT of the device logged out while it did not listen");
        var whileDown = clock.Elapsed;

        await Eventually.HoldsAsync(() => b.Watcher.IsWatching, "B listens again");
        var healthAfter = await clientB.GetStringAsync("/health/ready");
        var afterwards = await Deployment.MeasureRefusalsAsync(clientA, clientB, "pg_listener_killed", 10);

        output.WriteLine($"While B did not listen, it refused after {whileDown.TotalMilliseconds:0.0} ms (polling every {PollInterval.TotalMilliseconds} ms).");
        output.WriteLine($"Once B listened again, it refused after {Deployment.Describe(afterwards)}.");
        Assert.True(downAtLogOut, "B listened again before the log-out was made: the test did not show the poll.");
        Assert.Equal(HttpStatusCode.OK, degraded.StatusCode);
        Assert.Equal("Degraded", await degraded.Content.ReadAsStringAsync());
        Assert.True(whileDown < PollInterval + PollMargin, $"While B did not listen, it refused only after {whileDown.TotalMilliseconds} ms.");
        Assert.Equal(1, b.CountLogged<PostgresRevocationListener>(50)); // one warning for the outage
        Assert.Equal(1, b.CountLogged<PostgresRevocationListener>(51)); // and one line when it is over
        Assert.Equal("Healthy", healthAfter);
        // The p99 bound is the test above's to measure; here a few log-outs show the notifications carry them again.
        Assert.True(Deployment.Percentile(afterwards, 50) < Bound, $"Once B listened again, it refused after {Deployment.Describe(afterwards)}.");
        Assert.True(b.LogLines.Count(line => line.Contains("Revocation log read (change)", StringComparison.Ordinal)) >= 10, "The notifications did not wake B.");
    }

    internal static async Task<bool> TerminateBackendAsync(string connectionString, int processId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", connection);
        command.Parameters.AddWithValue("pid", processId);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
