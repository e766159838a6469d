using System.Net;
using JwtDevices.Endpoints;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Nodes;

/// <summary>
/// PostgreSQL stops under a running node and starts again: requests that need the database get 503
/// problem details, valid tokens keep working, nothing answers 500, and the node recovers by itself.
/// </summary>
[Collection(NodeTestsRunAlone.Name)]
[RequiresService(TestServices.Postgres)]
public sealed class PostgresOutageTests : IDisposable
{
    private readonly PostgresServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task WhilePostgresIsDown_DatabaseEndpointsAnswer503_TokensStillWork_AndTheNodeRecovers()
    {
        Assert.True(TestServicesScript.CanControl, "JWTDEVICES_SERVICES_DIR is not set: start the servers with scripts/test-services.sh.");
        await _server.AddUserAsync("pg_outage");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("pg_outage");
        var forged = login.Token[..^4] + (login.Token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        var statuses = new List<(string Request, HttpStatusCode Status)>();

        await TestServicesScript.RunAsync("stop-postgres");
        try
        {
            foreach (var response in new[]
            {
                await client.PostLoginAsync("pg_outage", "password123"),
                await client.RefreshAsync(login.PermanentToken),
                await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token),
                await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", login.Token, headers: ("Device-Id", "1")),
            })
            {
                using (response)
                {
                    statuses.Add((response.RequestMessage!.RequestUri!.AbsolutePath, response.StatusCode));
                    await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, JwtDevicesErrors.ServiceUnavailable);
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.DoesNotContain("Host=", body, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain("Password", body, StringComparison.OrdinalIgnoreCase);
                }
            }
            Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
            Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", forged));
            Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/devices/", forged));
            Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/health/live", forged));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await client.StatusOfAsync(HttpMethod.Get, "/health/ready", null));
        }
        finally
        {
            await TestServicesScript.RunAsync("start-postgres");
        }

        var listAgain = await Eventually.ReachesAsync(() => client.StatusOfAsync(HttpMethod.Get, "/devices/", login.Token), HttpStatusCode.OK);
        using var refresh = await client.RefreshAsync(login.PermanentToken);
        var again = await client.LoginAsync("pg_outage");

        Assert.Equal(HttpStatusCode.OK, listAgain);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.NotNull(again.PermanentToken);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/health/ready", null));
        Assert.All(statuses, entry => Assert.Equal(HttpStatusCode.ServiceUnavailable, entry.Status));
    }
}
