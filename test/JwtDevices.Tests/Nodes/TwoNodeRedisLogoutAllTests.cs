using System.Diagnostics;
using System.Net;
using JwtDevices.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>Two nodes on one database and Redis: sign-out everywhere on node A ends every device's JWT on node B.</summary>
[Collection(NodeTestsRunAlone.Name)]
[RequiresService(TestServices.Redis)]
public sealed class TwoNodeRedisLogoutAllTests(ITestOutputHelper output)
{
    [Fact]
    public async Task LogoutAllOnNodeA_EveryDevicesJwtIsRefusedOnNodeB_OverRedis()
    {
        if (TestRedis.Address(output) is not { } redis)
        {
            return;
        }
        // A poll interval far longer than the test: only Redis can bring the revocations across.
        using var deployment = new Deployment(pollInterval: TimeSpan.FromHours(1), redis);
        var a = deployment.StartNode();
        var b = deployment.StartNode();
        await deployment.AddUserAsync("logout_all_nodes");
        await deployment.AddUserAsync("logout_all_bystander");
        await Eventually.HoldsAsync(() => a.Bus!.IsConnected && b.Bus!.IsConnected, "both nodes receive revocations over Redis");
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        var devices = new List<ApiClient.Login>();
        for (var i = 0; i < 5; i++)
        {
            devices.Add(await clientA.LoginAsync("logout_all_nodes", deviceModel: $"Device {i}"));
        }
        var bystander = await clientA.LoginAsync("logout_all_bystander");
        foreach (var device in devices)
        {
            Assert.Equal(HttpStatusCode.OK, await clientB.StatusOfAsync(HttpMethod.Get, "/me", device.Token));
        }

        using (var logout = await clientA.SendWithTokenAsync(HttpMethod.Post, "/device-logout-all/", devices[0].Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        var clock = Stopwatch.StartNew();
        foreach (var device in devices)
        {
            while (await clientB.StatusOfAsync(HttpMethod.Get, "/me", device.Token) == HttpStatusCode.OK)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "Node B still accepts a signed-out device's JWT after 10 s.");
            }
        }
        output.WriteLine($"All five devices refused on node B {clock.Elapsed.TotalMilliseconds:0.0} ms after node A answered.");
        Assert.Equal(HttpStatusCode.OK, await clientB.StatusOfAsync(HttpMethod.Get, "/me", bystander.Token));
    }
}
