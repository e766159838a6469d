using System.Net;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Pages;

/// <summary>The DBSC events of <see cref="JwtDevicesEvents"/>, raised by the real endpoints with their request.</summary>
public sealed partial class DbscEndpointTests
{
    [Fact]
    public async Task Registration_RaisesDbscRegistered_WithTheDeviceAndTheKeysThumbprint()
    {
        using var client = Client();
        using var key = new DpopKey();
        var (deviceId, challenge) = await SignInAsync(client, "dbsc_event_registered");

        using var response = await RegisterAsync(client, Proof(key, challenge));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raised = Assert.Single(server.DbscEvents.OfType<DbscRegisteredContext>(), e => e.DeviceId == deviceId);
        Assert.Equal(key.Thumbprint, raised.KeyThumbprint);
    }

    [Fact]
    public async Task Refresh_RaisesDbscRefreshed_WithTheDeviceAndItsUser_OnlyForAProvenKey()
    {
        using var client = Client();
        using var key = new DpopKey();
        var username = "dbsc_event_refreshed" + Guid.NewGuid().ToString("N")[..6];
        var (deviceId, challenge) = await RegisteredAsync(client, key, username);
        using var asked = await RefreshAsync(client, deviceId.ToString(), proof: null);
        Assert.DoesNotContain(server.DbscEvents.OfType<DbscRefreshedContext>(), e => e.DeviceId == deviceId);

        using var renewed = await RefreshAsync(client, deviceId.ToString(), RefreshProof(key, challenge));

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var raised = Assert.Single(server.DbscEvents.OfType<DbscRefreshedContext>(), e => e.DeviceId == deviceId);
        Assert.Equal((await StoredAsync(deviceId)).UserId, raised.UserId);
    }

    [Fact]
    public async Task RefusedProofs_RaiseDbscProofRefused_WithWhereAndWhy()
    {
        using var client = Client();
        using var key = new DpopKey();
        using var other = new DpopKey();
        var (unbound, registrationChallenge) = await SignInAsync(client, "dbsc_event_refused");
        var (bound, refreshChallenge) = await RegisteredAsync(client, key, "dbsc_event_refused_bound");

        using var forged = await RegisterAsync(client, Proof(key, registrationChallenge[..^4] + (registrationChallenge[^4..] == "AAAA" ? "BBBB" : "AAAA")));
        using var wrongKey = await RefreshAsync(client, bound.ToString(), RefreshProof(other, refreshChallenge));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
        var refused = server.DbscEvents.OfType<DbscProofRefusedContext>().ToArray();
        Assert.Contains(refused, e => e is { Use: "registration", Reason: "challenge", DeviceId: null });
        var onRefresh = Assert.Single(refused, e => e.DeviceId == bound);
        Assert.Equal(("refresh", "signature"), (onRefresh.Use, onRefresh.Reason));
        Assert.DoesNotContain(refused, e => e.DeviceId == unbound);
    }
}
