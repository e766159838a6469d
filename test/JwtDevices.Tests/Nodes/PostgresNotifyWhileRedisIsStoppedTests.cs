using JwtDevices.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>
/// Two nodes on one PostgreSQL database with Redis configured: while Redis is stopped, PostgreSQL's notifications
/// still bring a log-out on node A to node B within milliseconds.
/// </summary>
[Collection(NodeTestsRunAlone.Name)]
[RequiresService(TestServices.Postgres)]
[RequiresService(TestServices.Redis)]
public sealed class PostgresNotifyWhileRedisIsStoppedTests(ITestOutputHelper output)
{
    private const int Devices = 50;
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task LogOutOnNodeA_IsRefusedOnNodeB_Within100Ms_AtP99_WhileRedisIsStopped()
    {
        if (!TestRedis.CanControl(output))
        {
            return;
        }
        using var deployment = new Deployment(pollInterval: TimeSpan.FromHours(1), TestRedis.Address(output), postgres: true);
        var a = deployment.StartNode();
        var b = deployment.StartNode();
        await deployment.AddUserAsync("pg_notify_no_redis");
        await Eventually.HoldsAsync(() => a.Bus!.IsConnected && b.Bus!.IsConnected, "both nodes receive revocations over Redis");
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        List<TimeSpan> refused;
        await TestRedis.StopAsync();
        try
        {
            await Eventually.HoldsAsync(() => !a.Bus!.IsConnected && !b.Bus!.IsConnected, "both nodes see that Redis is gone");
            refused = await Deployment.MeasureRefusalsAsync(clientA, clientB, "pg_notify_no_redis", Devices);
        }
        finally
        {
            await TestRedis.StartAsync();
        }

        output.WriteLine($"PostgreSQL NOTIFY, Redis stopped, from A's answer to the log-out until B's first 401: {Deployment.Describe(refused)}");
        Assert.True(Deployment.Percentile(refused, 99) < Bound, $"p99 is not under {Bound.TotalMilliseconds} ms: {Deployment.Describe(refused)}");
    }
}
