using System.Net;
using System.Net.Http.Json;
using JwtDevices.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>A password change on node A ends the user's other devices on node B too, over Redis, within the second.</summary>
[Collection(NodeTestsRunAlone.Name)]
[RequiresService(TestServices.Redis)]
public sealed class PasswordChangeAcrossNodesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PasswordChangeOnNodeA_IsRefusedOnNodeB_ForTheOtherDevices_Only()
    {
        if (TestRedis.Address(output) is not { } redis)
        {
            return;
        }
        // A poll interval far longer than the test: only Redis can bring the revocations across.
        using var deployment = new Deployment(pollInterval: TimeSpan.FromHours(1), redis);
        var a = deployment.StartNode();
        var b = deployment.StartNode();
        await deployment.AddUserAsync("nodes_password");
        await Eventually.HoldsAsync(() => a.Bus!.IsConnected && b.Bus!.IsConnected, "both nodes receive revocations over Redis");
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        var here = await clientA.LoginAsync("nodes_password");
        var other = await clientA.LoginAsync("nodes_password");
        Assert.Equal(HttpStatusCode.OK, await clientB.StatusOfAsync(HttpMethod.Get, "/me", other.Token));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/password/")
        {
            Content = JsonContent.Create(new { old_password = "password123", new_password = "a brand new password" }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("JWT", here.Token);
        using (var change = await clientA.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        }

        await Eventually.HoldsAsync(
            async () => await clientB.StatusOfAsync(HttpMethod.Get, "/me", other.Token) == HttpStatusCode.Unauthorized,
            "node B refuses the other device's JWT", TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await clientB.StatusOfAsync(HttpMethod.Get, "/me", here.Token));
    }
}
