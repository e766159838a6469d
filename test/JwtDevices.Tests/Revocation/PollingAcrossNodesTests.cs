using System.Net;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Revocation;

/// <summary>
/// Two nodes on one database without a bus: the other node learns of a log-out from the revocation log,
/// at its next poll, which only the node's clock (a fake one here) triggers.
/// </summary>
public abstract class PollingAcrossNodesTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private readonly TServer _nodeA = new();
    private readonly List<ServerFactory> _others = [];

    public void Dispose()
    {
        foreach (var node in _others)
        {
            node.Dispose();
        }
        _nodeA.Dispose();
    }

    [Fact]
    public async Task ALogOutOnOneNode_IsRefusedOnTheOther_AfterItsNextPoll()
    {
        var nodeB = Node();
        await _nodeA.AddUserAsync("polled");
        var a = _nodeA.CreateClient();
        var b = nodeB.CreateClient();
        var login = await a.LoginAsync("polled");
        Assert.Equal(HttpStatusCode.OK, await b.StatusOfAsync(HttpMethod.Get, "/me", login.Token));

        using var logout = await a.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{login.DeviceId}/", login.Token);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await Task.Delay(200);
        var beforeThePoll = await b.StatusOfAsync(HttpMethod.Get, "/me", login.Token);
        nodeB.Time.Advance(TimeSpan.FromSeconds(10));
        var afterThePoll = await Eventually.ReachesAsync(() => b.StatusOfAsync(HttpMethod.Get, "/me", login.Token), HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.Unauthorized, await a.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
        Assert.Equal(HttpStatusCode.OK, beforeThePoll);
        Assert.Equal(HttpStatusCode.Unauthorized, afterThePoll);
    }

    [Fact]
    public async Task ANodeThatStartsAfterALogOut_RefusesTheToken_BeforeAnyPoll()
    {
        await _nodeA.AddUserAsync("started_late");
        var a = _nodeA.CreateClient();
        var login = await a.LoginAsync("started_late");
        using var logout = await a.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", login.Token,
            headers: ("Device-Id", login.DeviceId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        var nodeB = Node();

        Assert.Equal(HttpStatusCode.Unauthorized, await nodeB.CreateClient().StatusOfAsync(HttpMethod.Get, "/me", login.Token));
    }

    [Fact]
    public async Task ADeviceRevokedLongerAgoThanAnyTokenLives_IsNotLoaded()
    {
        // Memory follows the revocation rate: a node keeps only what a live token could need.
        await _nodeA.AddUserAsync("long_ago");
        var a = _nodeA.CreateClient();
        var old = await a.LoginAsync("long_ago");
        using var logout = await a.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{old.DeviceId}/", old.Token);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        var nodeB = Node();
        nodeB.Time.Advance(TimeSpan.FromHours(1));
        var recent = await nodeB.CreateClient().LoginAsync("long_ago");
        using var recentLogout = await nodeB.CreateClient().SendWithTokenAsync(HttpMethod.Delete, $"/devices/{recent.DeviceId}/", recent.Token);
        Assert.Equal(HttpStatusCode.NoContent, recentLogout.StatusCode);
        var laterNode = Node(startAt: nodeB.Time.GetUtcNow());

        var revoked = laterNode.Services.GetRequiredService<JwtDevices.Revocation.RevokedDevices>();
        Assert.False(revoked.Contains(old.DeviceId!.Value));
        Assert.True(revoked.Contains(recent.DeviceId!.Value));
    }

    private ServerFactory Node(DateTimeOffset? startAt = null)
    {
        var node = _nodeA.OnSameDatabase();
        if (startAt is { } time)
        {
            node.Time.SetUtcNow(time);
        }
        _ = node.Server; // start it, as a deployed node would be
        _others.Add(node);
        return node;
    }

}

public sealed class PollingAcrossNodesOnSqlite : PollingAcrossNodesTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class PollingAcrossNodesOnPostgres : PollingAcrossNodesTests<PostgresServer>;
