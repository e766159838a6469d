using JwtDevices.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>
/// Two nodes on one database without Redis, and without the SQLite change check: the poll interval bounds how
/// long node B lags.
/// </summary>
[Collection(NodeTestsRunAlone.Name)]
public sealed class TwoNodePollingRevocationTests(ITestOutputHelper output)
{
    private const int Devices = 10;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    // A poll that began just before the commit misses it, and the next begins an interval after that
    // poll's query ended: two queries, two timers' lateness and the probe loop's own requests, on a busy machine.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task LogOutOnNodeA_IsRefusedOnNodeB_WithinThePollInterval()
    {
        using var deployment = new Deployment(PollInterval, settings: ("Database:SqliteChangeCheckInterval", "00:00:00"));
        var a = deployment.StartNode();
        var b = deployment.StartNode();
        await deployment.AddUserAsync("two_nodes_polling");
        Assert.Null(b.Bus);
        Assert.Null(b.Watcher.Watcher);
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        var refused = await Deployment.MeasureRefusalsAsync(clientA, clientB, "two_nodes_polling", Devices, spread: PollInterval);

        output.WriteLine($"Without Redis, poll every {PollInterval.TotalMilliseconds} ms, from A's answer to the log-out until B's first 401: {Deployment.Describe(refused)}");
        Assert.True(refused.Max() < PollInterval + Margin, $"B lagged longer than the poll interval plus {Margin.TotalMilliseconds} ms: {Deployment.Describe(refused)}");
    }
}
