using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using JwtDevices.Tests.Attacks;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Dpop;

/// <summary>
/// A DPoP-bound device's token and permanent token in the hands of someone without its key (or with a bad proof):
/// every attack of <see cref="DpopAttacks"/>, to every endpoint that requires authentication and to refresh, is
/// refused, and no stored row changes; the device's own requests keep working.
/// </summary>
public abstract class DpopAttackTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    public static TheoryData<string> ProofAttacks => new(DpopAttacks.Proofs.Keys);

    public static TheoryData<string> RequestAttacks => new(DpopAttacks.RequestOnly.Keys);

    [Theory]
    [MemberData(nameof(ProofAttacks))]
    public async Task BoundToken_WithABadProof_Is401OnEveryAuthenticatedEndpoint(string attack)
    {
        var scene = await DpopScene.OfAsync(server);
        await RefusedEverywhereAsync(scene, request => ("DPoP", DpopAttacks.Proofs[attack](request, true)), attack);
    }

    [Theory]
    [MemberData(nameof(RequestAttacks))]
    public async Task BoundToken_PresentedWrongly_Is401OnEveryAuthenticatedEndpoint(string attack)
    {
        var scene = await DpopScene.OfAsync(server);
        await RefusedEverywhereAsync(scene, DpopAttacks.RequestOnly[attack], attack);
    }

    [Theory]
    [MemberData(nameof(ProofAttacks))]
    public async Task BoundPermanentToken_WithABadProof_Is400AtRefresh_AndChangesNothing(string attack)
    {
        var scene = await DpopScene.OfAsync(server);
        // Past the accuracy window, so that a refresh that got through would write the last-seen time.
        server.Time.Advance(TimeSpan.FromHours(1));
        var before = await StoredData.ReadAsync(server);
        var request = scene.Request("POST", "/device-refresh-token/", server.Time.GetUtcNow());

        using var response = await server.CreateClient().DpopRefreshAsync(scene.Bound.PermanentToken!, DpopAttacks.Proofs[attack](request, false));

        await DpopClient.AssertTokenEndpointRefusalAsync(response, "invalid_dpop_proof", attack);
        await StoredData.AssertUnchangedAsync(server, before);
        using var genuine = await server.CreateClient().DpopRefreshAsync(scene.Bound.PermanentToken!,
            scene.Key.Proof("POST", "/device-refresh-token/", server.Time.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    [Fact]
    public async Task ReplayedProof_IsRefused_OnEveryAuthenticatedEndpoint_AndAtRefresh()
    {
        await server.EnsureUserAsync("dpop_replay");
        await server.EnsureUserAsync("dpop_replay_victim");
        using var key = new DpopKey();
        var client = server.CreateClient();
        var victim = await client.LoginAsync("dpop_replay_victim");
        foreach (var endpoint in MappedEndpoint.Authenticated(server))
        {
            // A device of its own per endpoint: the genuine first use may log devices out.
            var login = await client.DpopLoginAsync(server, "dpop_replay", key);
            var path = endpoint.Path(_ => victim.DeviceId!.Value.ToString(CultureInfo.InvariantCulture));
            var proof = key.Proof(endpoint.Method, path, server.Time.GetUtcNow(), login.Token);
            using (var first = await client.SendAsync(Request(endpoint.Method, path, "DPoP", login.Token, proof, victim.DeviceId!.Value)))
            {
                Assert.NotEqual(HttpStatusCode.Unauthorized, first.StatusCode);
            }
            var before = await StoredData.ReadAsync(server);

            using var replayed = await client.SendAsync(Request(endpoint.Method, path, "DPoP", login.Token, proof, victim.DeviceId!.Value));

            Assert.True(replayed.StatusCode == HttpStatusCode.Unauthorized, $"replay to {endpoint}: {(int)replayed.StatusCode}");
            await StoredData.AssertUnchangedAsync(server, before);
        }

        var bound = await client.DpopLoginAsync(server, "dpop_replay", key);
        var refreshProof = key.Proof("POST", "/device-refresh-token/", server.Time.GetUtcNow());
        using (var first = await client.DpopRefreshAsync(bound.PermanentToken!, refreshProof))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        var beforeRefresh = await StoredData.ReadAsync(server);
        using var replayedRefresh = await client.DpopRefreshAsync(bound.PermanentToken!, refreshProof);
        await DpopClient.AssertTokenEndpointRefusalAsync(replayedRefresh, "invalid_dpop_proof");
        await StoredData.AssertUnchangedAsync(server, beforeRefresh);
    }

    private async Task RefusedEverywhereAsync(DpopScene scene, Func<DpopAttackRequest, (string Scheme, string? Proof)> attack, string what)
    {
        var endpoints = MappedEndpoint.Authenticated(server);
        Assert.Contains(endpoints, endpoint => endpoint.ToString() == "GET /me");
        await scene.RefreshAsync(server);
        var before = await StoredData.ReadAsync(server);
        var client = server.CreateClient();

        foreach (var endpoint in endpoints)
        {
            var path = endpoint.Path(_ => scene.VictimDeviceId);
            var (scheme, proof) = attack(scene.Request(endpoint.Method, path, server.Time.GetUtcNow()));
            using var response = await client.SendAsync(Request(endpoint.Method, path, scheme, scene.Bound.Token, proof, scene.Victim.DeviceId!.Value));

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what} to {endpoint}: expected 401, got {(int)response.StatusCode}");
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("DPoP", challenge.Scheme);
            Assert.Matches("^error=\"(invalid_dpop_proof|invalid_token)\"", challenge.Parameter);
            ProblemAssert.HasNoInternals(challenge.Parameter!);
        }

        await StoredData.AssertUnchangedAsync(server, before);
        // The control: the same requests with a good proof get through authentication.
        using var genuine = await client.SendAsync(Request("GET", "/me", "DPoP", scene.Bound.Token,
            DpopAttacks.Genuine(scene.Request("GET", "/me", server.Time.GetUtcNow())).Proof, scene.Victim.DeviceId!.Value));
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    private static HttpRequestMessage Request(string method, string path, string scheme, string token, string? proof, long victimDeviceId)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}");
        request.Headers.TryAddWithoutValidation("Device-Id", victimDeviceId.ToString(CultureInfo.InvariantCulture));
        if (proof is not null)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = JsonContent.Create(new { name = "taken over" });
        }
        return request;
    }
}

/// <summary>A bound device (its key) and another user's unbound device, whose id the attacks aim at; arranged once per server.</summary>
internal sealed class DpopScene
{
    private static readonly ConditionalWeakTable<ServerFactory, Task<DpopScene>> s_scenes = [];

    private DpopScene(DpopKey key, ApiClient.Login bound, ApiClient.Login victim)
    {
        Key = key;
        Bound = bound;
        Victim = victim;
    }

    /// <summary>Gives the bound device a token alive at the server's time (other tests move the clock), with its key.</summary>
    public async Task RefreshAsync(ServerFactory server)
    {
        using var response = await server.CreateClient().DpopRefreshAsync(Bound.PermanentToken!, Key.Proof("POST", "/device-refresh-token/", server.Time.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Bound = Bound with { Token = (await response.ReadJsonAsync()).GetProperty("token").GetString()! };
    }

    public DpopKey Key { get; }

    public DpopKey OtherKey { get; } = new();

    public ApiClient.Login Bound { get; private set; }

    public ApiClient.Login Victim { get; }

    public string VictimDeviceId => Victim.DeviceId!.Value.ToString(CultureInfo.InvariantCulture);

    public DpopAttackRequest Request(string method, string path, DateTimeOffset now) =>
        new(Key, OtherKey, Bound.Token, Victim.Token, method, path, now);

    public static Task<DpopScene> OfAsync(ServerFactory server) => s_scenes.GetValue(server, s => ArrangeAsync(s));

    private static async Task<DpopScene> ArrangeAsync(ServerFactory server)
    {
        await server.EnsureUserAsync("dpop_attacker");
        await server.EnsureUserAsync("dpop_attacker_victim");
        var key = new DpopKey();
        var client = server.CreateClient();
        return new DpopScene(key, await client.DpopLoginAsync(server, "dpop_attacker", key), await client.LoginAsync("dpop_attacker_victim"));
    }
}

public sealed class DpopAttackOnSqlite(SqliteServer server) : DpopAttackTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class DpopAttackOnPostgres(PostgresServer server) : DpopAttackTests<PostgresServer>(server);
