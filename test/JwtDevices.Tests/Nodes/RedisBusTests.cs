using System.Diagnostics.Metrics;
using System.Net;
using JwtDevices.Devices;
using JwtDevices.Revocation;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>
/// What a node does with messages on its channel, sent by hand from another Redis client: only messages
/// authenticated under the master key, with recent times and of a size a node sends, revoke anything;
/// everything else is counted, and answered by reading the revocation log.
/// </summary>
[RequiresService(TestServices.Redis)]
public sealed class RedisBusTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string Refused = "jwtdevices.revocation_messages.refused";
    private const string OtherKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private Deployment? _deployment;
    private ConnectionMultiplexer? _other;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_other is not null)
        {
            await _other.DisposeAsync();
        }
    }

    public void Dispose() => _deployment?.Dispose();

    [Fact]
    public async Task SignedMessage_RevokesAtOnce_AndMalformedOnesAreCountedAndRefused()
    {
        if (await StartAsync("redis_wire") is not { } started)
        {
            return;
        }
        var (node, client, login) = started;
        using var refused = Collect(node);

        await PublishAsync("not json");
        await PublishAsync(Signed($"{{\"revocations\":[{{\"device_id\":-{login.DeviceId},\"revoked_at\":1,\"reason\":1}}]}}"));
        await Eventually.HoldsAsync(() => refused.GetMeasurementSnapshot().Count == 2, "both messages are counted as refused");
        Assert.Equal(["malformed", "malformed"], Reasons(refused));
        // The count is taken before the warning is written, and messages may be handled side by side.
        await Eventually.HoldsAsync(() => node.CountLogged<RevocationSynchronizer>(24) >= 1, "the node warns of the refused messages");
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, login.Token));

        await PublishAsync(Signed(SignedRevocationMessages.Payload(DateTimeOffset.UtcNow, login.DeviceId!.Value)[..^1] + ",\"later\":true}"));

        await Eventually.HoldsAsync(async () => await MeAsync(client, login.Token) == HttpStatusCode.Unauthorized,
            "the node refuses the device named in the message", TimeSpan.FromSeconds(5));
        Assert.True(node.Bus!.IsConnected);
    }

    [Fact]
    public async Task ForgedMessages_UnsignedOrUnderAnotherKey_DoNotRefuseTheDevicesTheyName()
    {
        if (await StartAsync("redis_forged") is not { } started)
        {
            return;
        }
        var (node, client, login) = started;
        using var refused = Collect(node);
        var deviceId = login.DeviceId!.Value;

        await PublishAsync(SignedRevocationMessages.Version1(DateTimeOffset.UtcNow, deviceId));
        await PublishAsync(SignedRevocationMessages.Version2(OtherKey, _deployment!.Channel, SignedRevocationMessages.Payload(DateTimeOffset.UtcNow, deviceId)));

        await AssertStaysAcceptedAsync(client, login.Token);
        await Eventually.HoldsAsync(() => refused.GetMeasurementSnapshot().Count == 2, "both messages are counted as refused");
        Assert.Equal(["unauthenticated", "unauthenticated"], Reasons(refused));
    }

    [Fact]
    public async Task MessageDatedInTheYear9999_IsRefused_AndDevicesNotYetCreatedWorkWhenTheyAre()
    {
        if (await StartAsync("redis_future") is not { } started)
        {
            return;
        }
        var (node, client, login) = started;
        using var refused = Collect(node);
        var deviceId = login.DeviceId!.Value;
        var year9999 = new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

        await PublishAsync(SignedRevocationMessages.Version1(year9999, deviceId, deviceId + 1));
        await PublishAsync(Signed(SignedRevocationMessages.Payload(year9999, deviceId, deviceId + 1)));
        await PublishAsync(Signed(SignedRevocationMessages.Payload(DateTimeOffset.UtcNow.AddMinutes(5), deviceId, deviceId + 1)));

        await AssertStaysAcceptedAsync(client, login.Token);
        var next = await client.LoginAsync("redis_future");
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, next.Token));
        await Eventually.HoldsAsync(() => refused.GetMeasurementSnapshot().Count == 3, "the three messages are counted as refused");
        Assert.Equal(["unauthenticated", "out_of_window", "out_of_window"], Reasons(refused));
    }

    [Fact]
    public async Task OversizedMessage_IsRefused_AndTheNodeReadsRealRevocationsFromTheLogAtOnce()
    {
        if (await StartAsync("redis_oversized") is not { } started)
        {
            return;
        }
        var (node, client, named) = started;
        using var refused = Collect(node);
        var revoked = await client.LoginAsync("redis_oversized");
        // In the log but never on the bus, as when a node stopped between its commit and its publish.
        using (var scope = node.Services.CreateScope())
        {
            var entry = await scope.ServiceProvider.GetRequiredService<IDeviceStore>()
                .DeleteAsync(revoked.DeviceId!.Value, null, DateTimeOffset.UtcNow, DeviceRevocationReason.RevokedByAdministrator, CancellationToken.None);
            Assert.NotNull(entry);
        }
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, revoked.Token)); // the poll is an hour away

        var ids = Enumerable.Range(1, IDeviceRevocationBus.MaxRevocationsPerMessage).Select(i => 1_000_000_000L + i).Append(named.DeviceId!.Value);
        await PublishAsync(Signed(SignedRevocationMessages.Payload(DateTimeOffset.UtcNow, ids)));

        await Eventually.HoldsAsync(async () => await MeAsync(client, revoked.Token) == HttpStatusCode.Unauthorized,
            "the node reads the revocation from the log", TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, named.Token));
        Assert.Equal(["too_large"], Reasons(refused));
    }

    [Fact]
    public async Task MessagesBeyondTheSetsCapacity_AreRefused_AndTheNodeReadsRealRevocationsFromTheLog()
    {
        if (await StartAsync("redis_full") is not { } started)
        {
            return;
        }
        var (node, client, login) = started;
        using var refused = Collect(node);
        var perMessage = IDeviceRevocationBus.MaxRevocationsPerMessage;
        var messages = RevokedDevices.BusCapacity / perMessage;
        for (var message = 0; message < messages; message++)
        {
            await PublishAsync(Signed(SignedRevocationMessages.Payload(DateTimeOffset.UtcNow,
                Enumerable.Range(0, perMessage).Select(i => 1_000_000_000L + (message * perMessage) + i))));
        }
        using (var scope = node.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<IDeviceStore>()
                .DeleteAsync(login.DeviceId!.Value, null, DateTimeOffset.UtcNow, DeviceRevocationReason.RevokedByAdministrator, CancellationToken.None);
        }

        await PublishAsync(Signed(SignedRevocationMessages.Payload(DateTimeOffset.UtcNow, login.DeviceId!.Value)));

        await Eventually.HoldsAsync(() => refused.GetMeasurementSnapshot().Count == 1, "the message beyond the capacity is refused");
        Assert.Equal(["set_full"], Reasons(refused));
        Assert.True(node.Services.GetRequiredService<RevokedDevices>().Count <= RevokedDevices.BusCapacity + 1);
        await Eventually.HoldsAsync(async () => await MeAsync(client, login.Token) == HttpStatusCode.Unauthorized,
            "the node reads the revocation from the log", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ANodeThatConnects_ReloadsTheLog_ButDoesNotSayTheBusIsBack()
    {
        if (await StartAsync("redis_first_connect") is not { } started)
        {
            return;
        }
        var node = started.Node;

        // Once at start-up, and once when the subscription went live (what was revoked while it connected).
        await Eventually.HoldsAsync(() => Reloads(node) >= 2, "the node reloads the revocation log when the bus goes live");

        Assert.Equal(1, node.CountLogged<JwtDevices.StackExchangeRedis.RedisDeviceRevocationBus>(41)); // "Receiving revocations ..."
        Assert.Equal(0, node.CountLogged<RevocationSynchronizer>(22)); // nothing was lost: nothing is "back"
    }

    internal static int Reloads(NodeFactory node) =>
        node.LogLines.Count(line => line.Contains($"{typeof(RevocationSynchronizer).FullName}[20] Revocation log read (reload)", StringComparison.Ordinal));

    // A node on Redis with a poll an hour away and SQLite's change check off (only the bus, or a refusal, brings
    // revocations; the check would read a revocation committed beside the node within 250 ms), a user, and one device of theirs.
    private async Task<(NodeFactory Node, HttpClient Client, ApiClient.Login Login)?> StartAsync(string user)
    {
        if (TestRedis.Address(output) is not { } redis)
        {
            return null;
        }
        _deployment = new Deployment(TimeSpan.FromHours(1), redis, settings: ("Database:SqliteChangeCheckInterval", "00:00:00"));
        var node = _deployment.StartNode();
        await _deployment.AddUserAsync(user);
        var client = node.CreateClient();
        var login = await client.LoginAsync(user);
        await Eventually.HoldsAsync(() => node.Bus!.IsConnected, "the node receives revocations over Redis");
        _other = await ConnectionMultiplexer.ConnectAsync(redis);
        return (node, client, login);
    }

    private string Signed(string payload) => SignedRevocationMessages.Version2(ServerFactory.SigningKey, _deployment!.Channel, payload);

    private Task<long> PublishAsync(string message) => _other!.GetSubscriber().PublishAsync(RedisChannel.Literal(_deployment!.Channel), message);

    private static async Task<HttpStatusCode> MeAsync(HttpClient client, string token)
    {
        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/me", token);
        return response.StatusCode;
    }

    // Messages arrive within milliseconds: a second of 200s shows they revoked nothing.
    private static async Task AssertStaysAcceptedAsync(HttpClient client, string token)
    {
        var until = DateTime.UtcNow.AddSeconds(1);
        while (DateTime.UtcNow < until)
        {
            Assert.Equal(HttpStatusCode.OK, await MeAsync(client, token));
            await Task.Delay(20);
        }
    }

    private static MetricCollector<long> Collect(NodeFactory node) =>
        new(node.Services.GetRequiredService<IMeterFactory>(), JwtDevicesDiagnostics.MeterName, Refused);

    private static string[] Reasons(MetricCollector<long> collector) =>
        [.. collector.GetMeasurementSnapshot().Select(measurement => (string)measurement.Tags["jwtdevices.failure.reason"]!)];
}
