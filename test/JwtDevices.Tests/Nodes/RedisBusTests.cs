using System.Globalization;
using System.Net;
using System.Text;
using JwtDevices.StackExchangeRedis;
using JwtDevices.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>What a node does with messages on its channel, sent by hand from another Redis client.</summary>
[RequiresService(TestServices.Redis)]
public sealed class RedisBusTests(ITestOutputHelper output)
{
    [Fact]
    public async Task MalformedMessages_AreIgnoredWithAWarning_AndAVersion1MessageStillRevokes()
    {
        if (TestRedis.Address(output) is not { } redis)
        {
            return;
        }
        using var deployment = new Deployment(TimeSpan.FromHours(1), redis);
        var node = deployment.StartNode();
        await deployment.AddUserAsync("redis_wire");
        using var client = node.CreateClient();
        var login = await client.LoginAsync("redis_wire");
        await Eventually.HoldsAsync(() => node.Bus!.IsConnected, "the node receives revocations over Redis");
        await using var other = await ConnectionMultiplexer.ConnectAsync(redis);
        var channel = RedisChannel.Literal(deployment.Channel);

        await other.GetSubscriber().PublishAsync(channel, "not json");
        await other.GetSubscriber().PublishAsync(channel, $"{{\"v\":1,\"revocations\":[{{\"device_id\":-{login.DeviceId},\"revoked_at\":1,\"reason\":1}}]}}");
        await Eventually.HoldsAsync(() => node.CountLogged<RedisDeviceRevocationBus>(43) == 2, "both messages are reported as malformed");
        using (var stillValid = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token))
        {
            Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        }

        var revokedAt = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{{\"v\":1,\"revocations\":[{{\"device_id\":{login.DeviceId},\"revoked_at\":{revokedAt},\"reason\":6}}],\"later\":true}}");
        await other.GetSubscriber().PublishAsync(channel, Encoding.UTF8.GetBytes(message));

        await Eventually.HoldsAsync(async () =>
        {
            using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, "the node refuses the device named in the message", TimeSpan.FromSeconds(5));
        Assert.True(node.Bus!.IsConnected);
    }
}
