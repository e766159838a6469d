using System.Net;
using JwtDevices.StackExchangeRedis;
using JwtDevices.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>With <c>ConnectionStrings:Redis</c> set, <c>/health/ready</c> shows Redis: down is "Degraded", still 200.</summary>
public sealed class RedisHealthTests(ITestOutputHelper output)
{
    private const string Password = "redis-password-never-shown";

    [Fact]
    public async Task Ready_Is200Degraded_WhenRedisIsUnreachable_AndShowsNoConnectionString()
    {
        var unreachable = $"127.0.0.1:{TestRedis.UnusedPort()},password={Password},connectTimeout=1000";
        using var deployment = new Deployment(TimeSpan.FromSeconds(10), unreachable);
        var node = await Task.Run(deployment.StartNode).WaitAsync(TimeSpan.FromSeconds(30));
        using var client = node.CreateClient();

        using var ready = await client.GetAsync("/health/ready");
        using var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.False(node.Bus!.IsConnected);
        await Eventually.HoldsAsync(() => node.CountLogged<RedisDeviceRevocationBus>(40) == 1, "the node warns that Redis is unreachable");
        Assert.DoesNotContain(node.LogLines, line => line.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ready_Is200Healthy_WhenRedisIsConnected()
    {
        if (TestRedis.Address(output) is not { } redis)
        {
            return;
        }
        using var deployment = new Deployment(TimeSpan.FromSeconds(10), redis);
        var node = deployment.StartNode();
        using var client = node.CreateClient();
        await Eventually.HoldsAsync(() => node.Bus!.IsConnected, "the node receives revocations over Redis");

        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }
}
