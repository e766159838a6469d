using System.Net;
using JwtDevices.Revocation;
using JwtDevices.StackExchangeRedis;
using JwtDevices.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>
/// Redis stops under running nodes and starts again: the nodes keep serving, fall back to polling the
/// revocation log, and go back to Redis when it returns. A node also starts while Redis is down.
/// </summary>
[Collection(NodeTestsRunAlone.Name)]
[RequiresService(TestServices.Redis)]
public sealed class RedisOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollMargin = TimeSpan.FromSeconds(1); // as in TwoNodePollingRevocationTests
    // The p99 bound is TwoNodeRedisRevocationTests' to measure; here a few log-outs show Redis carries them again.
    private static readonly TimeSpan RedisBound = TimeSpan.FromMilliseconds(100);
    private const int Devices = 5;
    private static readonly TimeSpan Reconnection = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Nodes_KeepServingAndPoll_WhileRedisIsDown_AndGoBackToRedis_WhenItReturns()
    {
        if (!TestRedis.CanControl(output))
        {
            return;
        }
        using var deployment = new Deployment(PollInterval, TestRedis.Address(output));
        var a = deployment.StartNode();
        var b = deployment.StartNode();
        await deployment.AddUserAsync("redis_outage");
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        await Eventually.HoldsAsync(() => a.Bus!.IsConnected && b.Bus!.IsConnected, "both nodes receive revocations over Redis");
        var survivor = await clientA.LoginAsync("redis_outage");
        var reloadsBefore = b.CountLogged<RevocationSynchronizer>(22);

        (TimeSpan Refused, TimeSpan LogOut) whileDown;
        await TestRedis.StopAsync();
        try
        {
            await Eventually.HoldsAsync(() => !a.Bus!.IsConnected && !b.Bus!.IsConnected, "both nodes see that Redis is gone");

            using (var me = await clientB.SendWithTokenAsync(HttpMethod.Get, "/me", survivor.Token))
            {
                Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            }
            using (var ready = await clientB.GetAsync("/health/ready"))
            {
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
                Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
            }
            whileDown = await Deployment.MeasureRefusalAsync(clientA, clientB, "redis_outage");
            Assert.True(whileDown.Refused < PollInterval + PollMargin,
                $"While Redis was down, B refused the JWT only after {whileDown.Refused.TotalMilliseconds} ms.");
            Assert.Equal(1, a.CountLogged<RedisDeviceRevocationBus>(42)); // the log-out was not published
            Assert.Equal(1, b.CountLogged<RedisDeviceRevocationBus>(40)); // one warning for the whole outage
        }
        finally
        {
            await TestRedis.StartAsync();
        }

        await Eventually.HoldsAsync(() => a.Bus!.IsConnected && b.Bus!.IsConnected, "both nodes resubscribe", Reconnection);
        await Eventually.HoldsAsync(() => b.CountLogged<RevocationSynchronizer>(22) > reloadsBefore, "B reloads the revocation log");
        var receivedBefore = b.CountLogged<RedisDeviceRevocationBus>(45);
        var afterwards = await Deployment.MeasureRefusalsAsync(clientA, clientB, "redis_outage", Devices);
        Assert.True(b.CountLogged<RedisDeviceRevocationBus>(45) >= receivedBefore + Devices, "The revocations did not come over Redis.");
        using (var ready = await clientB.GetAsync("/health/ready"))
        {
            Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        }

        output.WriteLine($"While Redis was down, B refused after {whileDown.Refused.TotalMilliseconds:0.0} ms (polling every {PollInterval.TotalMilliseconds} ms).");
        output.WriteLine($"Once Redis was back, B refused after {Deployment.Describe(afterwards)}.");
        Assert.True(Deployment.Percentile(afterwards, 50) < RedisBound, $"Once Redis was back, B refused after {Deployment.Describe(afterwards)}.");
    }

    [Fact]
    public async Task Node_StartsWhileRedisIsDown_AndSubscribesWhenItComes()
    {
        if (!TestRedis.CanControl(output))
        {
            return;
        }
        using var deployment = new Deployment(PollInterval, TestRedis.Address(output));
        var a = deployment.StartNode();
        await deployment.AddUserAsync("redis_late_node");
        using var clientA = a.CreateClient();

        NodeFactory late;
        HttpClient clientLate;
        await TestRedis.StopAsync();
        try
        {
            // Start-up neither fails nor waits for Redis.
            late = await Task.Run(deployment.StartNode).WaitAsync(TimeSpan.FromSeconds(30));
            clientLate = late.CreateClient();
            var login = await clientLate.LoginAsync("redis_late_node");
            using (var me = await clientLate.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token))
            {
                Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            }
            Assert.False(late.Bus!.IsConnected);
            await Eventually.HoldsAsync(() => late.CountLogged<RedisDeviceRevocationBus>(40) == 1, "the new node warns that Redis is unreachable");
        }
        finally
        {
            await TestRedis.StartAsync();
        }

        await Eventually.HoldsAsync(() => late.Bus.IsConnected && a.Bus!.IsConnected, "the new node subscribes", Reconnection);
        await Eventually.HoldsAsync(() => RedisBusTests.Reloads(late) >= 2, "the new node reloads the revocation log");
        Assert.Equal(0, late.CountLogged<RevocationSynchronizer>(22)); // it never had the bus: nothing is "back"
        var receivedBefore = late.CountLogged<RedisDeviceRevocationBus>(45);
        var refused = await Deployment.MeasureRefusalsAsync(clientA, clientLate, "redis_late_node", Devices);
        clientLate.Dispose();

        output.WriteLine($"The node started while Redis was down, once Redis came, refused after {Deployment.Describe(refused)}.");
        Assert.True(late.CountLogged<RedisDeviceRevocationBus>(45) >= receivedBefore + Devices, "The revocations did not come over Redis.");
        Assert.True(Deployment.Percentile(refused, 50) < RedisBound, $"The new node refused after {Deployment.Describe(refused)}.");
    }
}
