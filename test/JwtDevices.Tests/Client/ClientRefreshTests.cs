using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JwtDevices.Client;

namespace JwtDevices.Tests.Client;

/// <summary>The .NET client against the real server on loopback: one refresh for many requests, rotation-safe, lost answers retried.</summary>
public sealed class ClientRefreshTests
{
    private static readonly (string, string?) s_rotation = ("JwtDevices:RotatePermanentTokens", "true");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SixtyFourConcurrentRequestsAcrossExpiry_CauseExactlyOneRefresh_AndTheDeviceLives(bool rotate)
    {
        using var server = rotate ? new ClientServer(s_rotation) : new ClientServer();
        await server.AddUserAsync("many");
        using var client = ClientServer.CreateJwtDevicesClient(server.Options());
        await client.SignInAsync("many", "password123", "Pixel");
        using var api = server.CreateApiClient(client);
        var refreshed = 0;
        client.TokenRefreshed += (_, _) => Interlocked.Increment(ref refreshed);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("me")).StatusCode);

        server.Time.Advance(TimeSpan.FromMinutes(5)); // the JWT has expired, on the server's clock and the client's
        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => api.GetAsync("me"))));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        Assert.Equal(1, server.Refreshes);
        Assert.Equal(1, refreshed);
        Assert.Equal(0, server.Reuses);
        var devices = await client.GetDevicesAsync();
        Assert.Equal(client.DeviceId, Assert.Single(devices).Id);
    }

    [Fact]
    public async Task ConcurrentRequestsRefusedWith401_CauseExactlyOneRefresh()
    {
        using var server = new ClientServer(s_rotation);
        await server.AddUserAsync("refused");
        using var client = ClientServer.CreateJwtDevicesClient(server.Options());
        await client.SignInAsync("refused", "password123");
        using var api = server.CreateApiClient(client);

        // The client's clock says the JWT is fresh; the server's says it expired: every request meets a 401.
        server.Time.Advance(TimeSpan.FromMinutes(5));
        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => api.GetAsync("me"))));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        Assert.Equal(1, server.Refreshes);
        Assert.Equal(0, server.Reuses);
    }

    [Fact]
    public async Task ARefreshAnswerLostOnTheWayBack_IsRetriedWithTheSameToken_AndTheClientCarriesOn_WithoutReuse()
    {
        using var server = new ClientServer(s_rotation);
        await server.AddUserAsync("lost");
        var store = new InMemoryJwtDevicesTokenStore();
        var wire = new RefreshWire();
        using var client = ClientServer.CreateJwtDevicesClient(server.Options(store), wire);
        await client.SignInAsync("lost", "password123");
        var first = (await store.LoadAsync(default))!.PermanentToken;
        using var api = server.CreateApiClient(client);

        server.Time.Advance(TimeSpan.FromMinutes(5));
        wire.DropNextAnswer();
        using var answer = await api.GetAsync("me");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(2, wire.Attempts); // the lost one, and its retry with the same token
        var successor = (await store.LoadAsync(default))!.PermanentToken;
        Assert.NotEqual(first, successor);
        // The chain goes on from the successor the retry got: the next refresh is no reuse either.
        server.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("me")).StatusCode);
        Assert.NotEqual(successor, (await store.LoadAsync(default))!.PermanentToken);
        Assert.Equal(0, server.Reuses);
        Assert.Single(await client.GetDevicesAsync());
    }

    [Fact]
    public async Task WithRotation_TheSuccessorIsSavedBeforeTheNewJwtIsUsed()
    {
        using var server = new ClientServer(s_rotation);
        await server.AddUserAsync("saved");
        var store = new InMemoryJwtDevicesTokenStore();
        using var client = ClientServer.CreateJwtDevicesClient(server.Options(store));
        await client.SignInAsync("saved", "password123");
        var loginToken = (await store.LoadAsync(default))!.PermanentToken;
        var wire = new StoreOnTheWire(store) { InnerHandler = new SocketsHttpHandler() };
        using var api = new HttpClient(client.CreateHandler(wire)) { BaseAddress = server.BaseUrl };

        server.Time.Advance(TimeSpan.FromMinutes(5));
        using var answer = await api.GetAsync("me");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var successor = (await store.LoadAsync(default))!.PermanentToken;
        Assert.NotEqual(loginToken, successor);
        // When the request with the refreshed JWT left, the store already held the successor.
        Assert.Equal(successor, Assert.Single(wire.StoredWhenSent));
    }

    [Fact]
    public async Task RestartedApp_RefreshesFromTheStore_AndTokensNeverReachLogsOrExceptions()
    {
        using var server = new ClientServer(s_rotation);
        await server.AddUserAsync("restart");
        var store = new InMemoryJwtDevicesTokenStore();
        using (var first = ClientServer.CreateJwtDevicesClient(server.Options(store)))
        {
            await first.SignInAsync("restart", "password123");
        }
        var permanent = (await store.LoadAsync(default))!.PermanentToken;
        using var client = ClientServer.CreateJwtDevicesClient(server.Options(store));
        using var api = server.CreateApiClient(client);

        var me = await api.GetFromJsonAsync<JsonElement>("me");

        Assert.Equal("restart", me.GetProperty("username").GetString());
        Assert.Equal(1, server.Refreshes);
        Assert.DoesNotContain(permanent, (await store.LoadAsync(default))!.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Below the client's handler: what the store held as each request went out.</summary>
    private sealed class StoreOnTheWire(IJwtDevicesTokenStore store) : DelegatingHandler
    {
        public List<string?> StoredWhenSent { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            StoredWhenSent.Add((await store.LoadAsync(cancellationToken))?.PermanentToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
