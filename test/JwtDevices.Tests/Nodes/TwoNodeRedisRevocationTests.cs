using JwtDevices.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>Two nodes on one database and Redis: a log-out on node A is refused on node B within milliseconds.</summary>
[Collection(NodeTestsRunAlone.Name)]
[RequiresService(TestServices.Redis)]
public sealed class TwoNodeRedisRevocationTests(ITestOutputHelper output)
{
    private const int Devices = 100;
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task LogOutOnNodeA_IsRefusedOnNodeB_Within100Ms_AtP99()
    {
        if (TestRedis.Address(output) is not { } redis)
        {
            return;
        }
        // A poll interval far longer than the test: only Redis can bring the revocations across.
        using var deployment = new Deployment(pollInterval: TimeSpan.FromHours(1), redis);
        var a = deployment.StartNode();
        var b = deployment.StartNode();
        await deployment.AddUserAsync("two_nodes_redis");
        await Eventually.HoldsAsync(() => a.Bus!.IsConnected && b.Bus!.IsConnected, "both nodes receive revocations over Redis");
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        var refused = new List<TimeSpan>();
        var logOuts = new List<TimeSpan>();
        for (var i = 0; i < Devices; i++)
        {
            var (refusedAfter, logOut) = await Deployment.MeasureRefusalAsync(clientA, clientB, "two_nodes_redis");
            refused.Add(refusedAfter);
            logOuts.Add(logOut);
        }

        output.WriteLine($"With Redis, from A's answer to the log-out until B's first 401: {Deployment.Describe(refused)}");
        output.WriteLine($"  (A's log-out request itself: {Deployment.Describe(logOuts)})");
        Assert.True(Deployment.Percentile(refused, 99) < Bound, $"p99 is not under {Bound.TotalMilliseconds} ms: {Deployment.Describe(refused)}");
    }
}
