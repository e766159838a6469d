using JwtDevices.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>Two nodes on one database without Redis: the poll interval bounds how long node B lags.</summary>
[Collection(NodeTestsRunAlone.Name)]
public sealed class TwoNodePollingRevocationTests(ITestOutputHelper output)
{
    private const int Devices = 20;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    // The poll's query, a timer's lateness and the probe loop's own requests.
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task LogOutOnNodeA_IsRefusedOnNodeB_WithinThePollInterval()
    {
        using var deployment = new Deployment(PollInterval);
        var a = deployment.StartNode();
        var b = deployment.StartNode();
        await deployment.AddUserAsync("two_nodes_polling");
        Assert.Null(b.Bus);
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        var refused = new List<TimeSpan>();
        for (var i = 0; i < Devices; i++)
        {
            refused.Add((await Deployment.MeasureRefusalAsync(clientA, clientB, "two_nodes_polling")).Refused);
        }

        output.WriteLine($"Without Redis, poll every {PollInterval.TotalMilliseconds} ms, from A's answer to the log-out until B's first 401: {Deployment.Describe(refused)}");
        Assert.True(refused.Max() < PollInterval + Margin, $"B lagged longer than the poll interval plus {Margin.TotalMilliseconds} ms: {Deployment.Describe(refused)}");
    }
}
