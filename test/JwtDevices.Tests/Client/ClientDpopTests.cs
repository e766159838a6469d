using System.Net;
using JwtDevices.Client;
using Microsoft.Extensions.Time.Testing;

namespace JwtDevices.Tests.Client;

/// <summary>
/// The .NET client's DPoP (RFC 9449): a key per device made at sign-in, a proof for log-in, refresh and every
/// request (each checked by IdentityModel under the key in its header), server nonces, the fallback to an unbound
/// device, and the key discarded with its device. Against <see cref="FakeDpopServer"/>, below the client.
/// </summary>
public sealed class ClientDpopTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task SignIn_BindsTheDevice_AndLogInRefreshAndRequestsCarryValidProofsByOneKey()
    {
        var server = new FakeDpopServer(_time);
        var store = new InMemoryJwtDevicesTokenStore();
        using var client = Client(server, store);

        await client.SignInAsync("alice", "password123");
        using var api = new HttpClient(client.CreateHandler(server)) { BaseAddress = FakeDpopServer.BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("me?page=2#top")).StatusCode);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("me")).StatusCode);

        Assert.True(client.IsBoundToKey);
        Assert.NotNull((await store.LoadAsync(default))!.DpopKey);
        var login = Assert.Single(server.To("/auth-token/")).Proof!;
        var refresh = Assert.Single(server.To("/device-refresh-token/")).Proof!;
        var requests = server.To("/me").ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(("POST", "https://api.example.test/auth-token/", null), (login.Htm, login.Htu, login.Ath));
        Assert.Equal(("POST", "https://api.example.test/device-refresh-token/", null), (refresh.Htm, refresh.Htu, refresh.Ath));
        Assert.All(requests, seen =>
        {
            Assert.Equal("DPoP", seen.Authorization!.Scheme);
            Assert.Equal(("GET", "https://api.example.test/me"), (seen.Proof!.Htm, seen.Proof.Htu));
            Assert.Equal(DpopProofChecker.Ath(seen.Authorization.Parameter!), seen.Proof.Ath);
        });
        Assert.NotEqual(requests[0].Authorization!.Parameter, requests[1].Authorization!.Parameter);
        var proofs = new[] { login, refresh }.Concat(requests.Select(seen => seen.Proof!)).ToList();
        Assert.Single(proofs.Select(proof => proof.Thumbprint).Distinct());
        Assert.Equal(proofs.Count, proofs.Select(proof => proof.Jti).Distinct().Count());
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds(), proofs[^1].Iat);
        Assert.All(proofs, proof => Assert.Null(proof.Nonce));
    }

    [Fact]
    public async Task AServerNonce_IsAskedForOnceAtLogIn_RememberedForLaterProofs_AndANewOneRetriedOnceOnARequest()
    {
        var server = new FakeDpopServer(_time) { RequiresNonce = true };
        using var client = Client(server);

        await client.SignInAsync("alice", "password123");
        using var api = new HttpClient(client.CreateHandler(server)) { BaseAddress = FakeDpopServer.BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("me")).StatusCode);
        server.Nonce = "nonce-2"; // the server moved on: the next proof carries a stale nonce
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("me")).StatusCode);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("me")).StatusCode);

        Assert.Equal([null, "nonce-1"], server.To("/auth-token/").Select(seen => seen.Proof!.Nonce));
        Assert.Equal(["nonce-1", "nonce-1", "nonce-2", "nonce-2"], server.To("/me").Select(seen => seen.Proof!.Nonce));
        Assert.Equal(["nonce-2"], server.To("/device-refresh-token/").Select(seen => seen.Proof!.Nonce));
    }

    [Fact]
    public async Task ANonceDemandRepeatedAfterItsRetry_IsReturnedToTheCaller_NotRetriedAgain()
    {
        var server = new FakeDpopServer(_time) { RequiresNonce = true };
        using var client = Client(server);
        await client.SignInAsync("alice", "password123");
        using var api = new HttpClient(client.CreateHandler(new NonceChanging(server))) { BaseAddress = FakeDpopServer.BaseUrl };

        using var answer = await api.GetAsync("me");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal(2, server.To("/me").Count());
        Assert.Empty(server.To("/device-refresh-token/"));
    }

    [Fact]
    public async Task AServerThatDoesNotBind_GetsAnUnboundDevice_WithItsSchemeAndNoProofs()
    {
        var server = new FakeDpopServer(_time) { Binds = false };
        var store = new InMemoryJwtDevicesTokenStore();
        using var client = Client(server, store);

        await client.SignInAsync("alice", "password123");
        using var api = new HttpClient(client.CreateHandler(server)) { BaseAddress = FakeDpopServer.BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("me")).StatusCode);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("me")).StatusCode);

        Assert.False(client.IsBoundToKey);
        Assert.Null((await store.LoadAsync(default))!.DpopKey);
        Assert.NotNull(Assert.Single(server.To("/auth-token/")).Proof); // offered, not taken
        Assert.All(server.Requests.Skip(1), seen => Assert.Null(seen.Proof));
        Assert.All(server.To("/me"), seen => Assert.Equal("Bearer", seen.Authorization!.Scheme));
    }

    [Fact]
    public async Task WithUseDpopOff_NoProofIsSentAtAll()
    {
        var server = new FakeDpopServer(_time);
        var options = Options(new InMemoryJwtDevicesTokenStore());
        options.UseDpop = false;
        using var client = new JwtDevicesClient(new HttpClient(server), options);

        await client.SignInAsync("alice", "password123");
        using var api = new HttpClient(client.CreateHandler(server)) { BaseAddress = FakeDpopServer.BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("me")).StatusCode);

        Assert.False(client.IsBoundToKey);
        Assert.All(server.Requests, seen => Assert.Null(seen.Proof));
    }

    [Fact]
    public async Task SignOut_SendsAProof_ThenDiscardsTheKey_AndTheStoreForgetsIt()
    {
        var server = new FakeDpopServer(_time);
        var store = new InMemoryJwtDevicesTokenStore();
        using var client = Client(server, store);
        await client.SignInAsync("alice", "password123");
        var key = (await store.LoadAsync(default))!.DpopKey!;

        await client.SignOutAsync();

        var logout = Assert.Single(server.To("/device-logout/"));
        Assert.Equal("DELETE", logout.Proof!.Htm);
        Assert.Null(await store.LoadAsync(default));
        Assert.False(client.IsBoundToKey);
        Assert.Throws<ObjectDisposedException>(() => key.ExportParameters(includePrivateParameters: false));
    }

    [Fact]
    public async Task ADeviceTheServerEnded_HasItsKeyDiscarded_AndTheStoreCleared()
    {
        var server = new FakeDpopServer(_time);
        var store = new InMemoryJwtDevicesTokenStore();
        using var client = Client(server, store);
        await client.SignInAsync("alice", "password123");
        var key = (await store.LoadAsync(default))!.DpopKey!;
        using var api = new HttpClient(client.CreateHandler(server)) { BaseAddress = FakeDpopServer.BaseUrl };
        server.DeviceEnded = true;
        _time.Advance(TimeSpan.FromMinutes(5));

        var ended = await Assert.ThrowsAsync<SignInRequiredException>(() => api.GetAsync("me"));

        Assert.Equal("invalid_permanent_token", ended.Code);
        Assert.Null(await store.LoadAsync(default));
        Assert.Throws<ObjectDisposedException>(() => key.ExportParameters(includePrivateParameters: false));
    }

    [Fact]
    public async Task ARefreshWhoseProofTheServerRefuses_EndsTheDevice()
    {
        var server = new FakeDpopServer(_time);
        var store = new InMemoryJwtDevicesTokenStore();
        using (var first = Client(server, store))
        {
            await first.SignInAsync("alice", "password123");
        }
        // The next run finds the token with another key (a store that lost the device's key and made up one).
        await store.SaveAsync(new JwtDevicesStoredToken("permanent-1", 7) { DpopKey = DpopProof.CreateKey() }, default);
        using var client = Client(server, store);

        var ended = await Assert.ThrowsAsync<SignInRequiredException>(() => client.GetAccessTokenAsync());

        Assert.Equal("invalid_dpop_proof", ended.Code);
        Assert.Null(await store.LoadAsync(default));
    }

    [Theory]
    [InlineData("https://elsewhere.example.test/me")]
    [InlineData("http://api.example.test/me")]
    [InlineData("https://api.example.test:8443/me")]
    public async Task TheHandler_RefusesAnotherOrigin_BeforeAnythingIsSent(string url)
    {
        var server = new FakeDpopServer(_time);
        using var client = Client(server);
        await client.SignInAsync("alice", "password123");
        using var api = new HttpClient(client.CreateHandler(server));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => api.GetAsync(url));

        Assert.Contains("AllowedOrigins", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/me", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, seen => seen.Uri.AbsoluteUri == url);
    }

    [Fact]
    public async Task AnAllowedOrigin_GetsTheTokenAndAProofForItsOwnUrl()
    {
        var server = new FakeDpopServer(_time);
        var options = Options(new InMemoryJwtDevicesTokenStore());
        options.AllowedOrigins.Add(new Uri("https://files.example.test"));
        using var client = new JwtDevicesClient(new HttpClient(server), options);
        await client.SignInAsync("alice", "password123");
        using var api = new HttpClient(client.CreateHandler(server));

        await api.GetAsync("https://files.example.test/report");

        var seen = Assert.Single(server.To("/report"));
        Assert.Equal("DPoP", seen.Authorization!.Scheme);
        Assert.Equal("https://files.example.test/report", seen.Proof!.Htu);
    }

    [Fact]
    public void AnAllowedOriginWithAPath_IsRefusedAtStart_NamingTheSetting()
    {
        var options = Options(null);
        options.AllowedOrigins.Add(new Uri("https://files.example.test/api/"));

        var refused = Assert.Throws<InvalidOperationException>(() => new JwtDevicesClient(new HttpClient(), options));

        Assert.Contains("JwtDevicesClientOptions.AllowedOrigins", refused.Message, StringComparison.Ordinal);
    }

    private JwtDevicesClient Client(FakeDpopServer server, IJwtDevicesTokenStore? store = null) =>
        new(new HttpClient(server), Options(store));

    private JwtDevicesClientOptions Options(IJwtDevicesTokenStore? store) => new()
    {
        ServerAddress = FakeDpopServer.BaseUrl,
        TimeProvider = _time,
        TokenStore = store ?? new InMemoryJwtDevicesTokenStore(),
    };

    /// <summary>Moves the server's nonce on before every resource request, so that each proof's nonce is stale.</summary>
    private sealed class NonceChanging(FakeDpopServer server) : DelegatingHandler(server)
    {
        private int _n = 10;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            server.Nonce = $"nonce-{Interlocked.Increment(ref _n)}";
            return base.SendAsync(request, cancellationToken);
        }
    }
}
