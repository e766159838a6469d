using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using JwtDevices.Client;

namespace JwtDevices.Tests.Client;

/// <summary>
/// The .NET client against the real server with DPoP on loopback: it logs in bound, refreshes and calls
/// <c>GET /me</c> with a proof every time (each checked by IdentityModel too), meets a required nonce, signs out,
/// and falls back to an unbound device where the server does not bind. Its token copied away from the key is refused.
/// </summary>
public sealed class ClientDpopEndToEndTests
{
    [Fact]
    public async Task TheClient_LogsInBound_RefreshesAndCallsMe_WithAProofEachTime_AndATokenWithoutTheKeyIsRefused()
    {
        using var server = new ClientServer();
        await server.AddUserAsync("bound");
        var store = new InMemoryJwtDevicesTokenStore();
        var wire = new ProofWire();
        using var client = ClientServer.CreateJwtDevicesClient(server.Options(store), wire);
        await client.SignInAsync("bound", "password123");
        using var api = new HttpClient(client.CreateHandler(new ProofWire(wire))) { BaseAddress = server.BaseUrl };

        using var me = await api.GetAsync("me");
        server.Time.Advance(TimeSpan.FromMinutes(5)); // the JWT has expired
        using var again = await api.GetAsync("me");

        Assert.True(client.IsBoundToKey);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, server.Refreshes);
        var proofs = await Task.WhenAll(wire.Seen.Select(seen => DpopProofChecker.CheckAsync(seen.Proof!)));
        var thumbprint = Assert.Single(proofs.Select(proof => proof.Thumbprint).Distinct());
        Assert.Equal(thumbprint, JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("dpop_jkt").GetString());
        Assert.Equal(["/auth-token/", "/me", "/device-refresh-token/", "/me"], wire.Seen.Select(seen => seen.Path));
        Assert.All(wire.Seen, seen => Assert.Equal(HttpStatusCode.OK, seen.Status));
        Assert.All(wire.Seen.Where(seen => seen.Path == "/me"), seen => Assert.Equal("DPoP", seen.Scheme));

        // A copy of the JWT and the permanent token, without the key.
        var token = await client.GetAccessTokenAsync();
        var permanent = (await store.LoadAsync(default))!.PermanentToken;
        using var plain = new HttpClient { BaseAddress = server.BaseUrl };
        using var asBearer = await plain.SendAsync(new HttpRequestMessage(HttpMethod.Get, "me") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } });
        using var asDpopWithoutProof = await plain.SendAsync(new HttpRequestMessage(HttpMethod.Get, "me") { Headers = { Authorization = new AuthenticationHeaderValue("DPoP", token) } });
        var refresh = new HttpRequestMessage(HttpMethod.Post, "device-refresh-token/");
        refresh.Headers.Add("Permanent-Token", permanent);
        using var refreshWithoutProof = await plain.SendAsync(refresh);
        Assert.Equal(HttpStatusCode.Unauthorized, asBearer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, asDpopWithoutProof.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refreshWithoutProof.StatusCode);
        Assert.Contains("invalid_dpop_proof", await refreshWithoutProof.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await client.SignOutAsync();
        Assert.Equal(("/device-logout/", HttpStatusCode.NoContent), (wire.Seen.Last().Path, wire.Seen.Last().Status));
        Assert.False(client.IsBoundToKey);
    }

    [Fact]
    public async Task WithANonceRequired_TheClientLogsInRefreshesAndCalls_RetryingOnceWhereTheServerAsks()
    {
        using var server = new ClientServer(dpop => dpop.RequireNonce = true);
        await server.AddUserAsync("nonce");
        var wire = new ProofWire();
        using var client = ClientServer.CreateJwtDevicesClient(server.Options(), wire);
        await client.SignInAsync("nonce", "password123");
        using var api = new HttpClient(client.CreateHandler(new ProofWire(wire))) { BaseAddress = server.BaseUrl };

        using var me = await api.GetAsync("me");
        server.Time.Advance(TimeSpan.FromMinutes(30)); // past the nonce windows and the JWT
        using var again = await api.GetAsync("me");

        Assert.True(client.IsBoundToKey);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var logins = wire.Seen.Where(seen => seen.Path == "/auth-token/").ToList();
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.OK], logins.Select(seen => seen.Status));
        Assert.Null((await DpopProofChecker.CheckAsync(logins[0].Proof!)).Nonce);
        Assert.NotNull((await DpopProofChecker.CheckAsync(logins[1].Proof!)).Nonce);
        // Every call reached its goal with at most one nonce retry each.
        Assert.Equal(HttpStatusCode.OK, wire.Seen.Last(seen => seen.Path == "/device-refresh-token/").Status);
        Assert.True(wire.Seen.Count(seen => seen.Path == "/me") <= 3);
    }

    [Fact]
    public async Task WhereTheServerDoesNotBind_TheDeviceIsUnbound_AndSendsBearerWithoutProofs()
    {
        using var server = new ClientServer(dpop => dpop.Mode = DpopMode.Disabled);
        await server.AddUserAsync("unbound");
        var wire = new ProofWire();
        using var client = ClientServer.CreateJwtDevicesClient(server.Options(), wire);
        await client.SignInAsync("unbound", "password123");
        using var api = new HttpClient(client.CreateHandler(new ProofWire(wire))) { BaseAddress = server.BaseUrl };

        using var me = await api.GetAsync("me");
        server.Time.Advance(TimeSpan.FromMinutes(5));
        using var again = await api.GetAsync("me");

        Assert.False(client.IsBoundToKey);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (me.StatusCode, again.StatusCode));
        Assert.All(wire.Seen.Skip(1), seen => Assert.Null(seen.Proof));
        Assert.All(wire.Seen.Where(seen => seen.Path == "/me"), seen => Assert.Equal("Bearer", seen.Scheme));
    }

    /// <summary>Records each request's path, scheme, proof and answer, below the client (its backchannel, or its handler's inner handler).</summary>
    private sealed class ProofWire : DelegatingHandler
    {
        private readonly ConcurrentQueue<(string Path, string? Scheme, string? Proof, HttpStatusCode Status)> _seen;

        public ProofWire() => _seen = new();

        /// <summary>A wire for the handler that records into <paramref name="shared"/>'s list, and sends on the real port.</summary>
        public ProofWire(ProofWire shared) : base(new SocketsHttpHandler()) => _seen = shared._seen;

        public IReadOnlyCollection<(string Path, string? Scheme, string? Proof, HttpStatusCode Status)> Seen => _seen;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var proof = request.Headers.TryGetValues("DPoP", out var values) ? values.Single() : null;
            var response = await base.SendAsync(request, cancellationToken);
            _seen.Enqueue((request.RequestUri!.AbsolutePath, request.Headers.Authorization?.Scheme, proof, response.StatusCode));
            return response;
        }
    }
}
