using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using JwtDevices.Devices;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests.Rotation;

/// <summary>
/// Rotation with reuse detection (<c>JwtDevices:RotatePermanentTokens</c>): each refresh hands out a new
/// permanent token; the previous one gets the same successor within the reuse interval; any retired token
/// presented later revokes the device. The clock is the fake one, so no test sleeps.
/// </summary>
public abstract class RotationTests<TServer> : IAsyncLifetime, IDisposable
    where TServer : ServerFactory, new()
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly ServerFactory _server = new TServer().WithSettings(
        ("JwtDevices:RotatePermanentTokens", "true"),
        ("JwtDevices:CleanupInterval", "30.00:00:00"));
    private HttpClient _client = null!;
    private ApiClient.Login _login = null!;

    public async Task InitializeAsync()
    {
        await _server.AddUserAsync("rotor");
        _client = _server.CreateClient();
        _login = await _client.LoginAsync("rotor");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Refresh_AnswersATokenAndANewPermanentToken_EachTime()
    {
        var first = await RefreshAsync(_login.PermanentToken);
        var second = await RefreshAsync(first.PermanentToken);

        Assert.Equal(["permanent_token", "token"], first.Keys);
        Assert.NotEqual(_login.PermanentToken, first.PermanentToken);
        Assert.NotEqual(first.PermanentToken, second.PermanentToken);
        Assert.Equal(HttpStatusCode.OK, await _client.StatusOfAsync(HttpMethod.Get, "/me", second.Token));
        var device = await DeviceAsync();
        Assert.Equal(2, device.PermanentTokenGeneration);
    }

    [Fact]
    public async Task TheReplacedToken_WithinTheInterval_GetsTheSameSuccessor_NeverASecondOne()
    {
        var first = await RefreshAsync(_login.PermanentToken);
        _server.Time.Advance(Interval - TimeSpan.FromSeconds(1));

        var retried = await RefreshAsync(_login.PermanentToken);
        var retriedAgain = await RefreshAsync(_login.PermanentToken);

        Assert.Equal(first.PermanentToken, retried.PermanentToken);
        Assert.Equal(first.PermanentToken, retriedAgain.PermanentToken);
        Assert.Equal(HttpStatusCode.OK, await _client.StatusOfAsync(HttpMethod.Get, "/me", retried.Token));
        Assert.Equal(1, (await DeviceAsync()).PermanentTokenGeneration);
        // The successor is still the one live token: it rotates on.
        var next = await RefreshAsync(first.PermanentToken);
        Assert.NotEqual(first.PermanentToken, next.PermanentToken);
    }

    [Fact]
    public async Task ACopyRedeemedWithinTheInterval_SharesTheSuccessor_UntilTheOwnerRefreshesWithIt_ThenEndsTheDevice()
    {
        var owner = await RefreshAsync(_login.PermanentToken);
        var thief = await RefreshAsync(_login.PermanentToken);
        Assert.Equal(owner.PermanentToken, thief.PermanentToken);

        var ownerNext = await RefreshAsync(owner.PermanentToken);

        // The successor has been used: the replaced token can no longer be a lost answer, at any time.
        AssertReused(await RefreshAnswer.OfAsync(_client, _login.PermanentToken));
        await AssertDeviceIsGoneAsync(ownerNext.PermanentToken!, thief.Token!, ownerNext.Token!);
    }

    [Fact]
    public async Task RedemptionsOfTheReplacedToken_AreCounted_AndNoOtherRefresh()
    {
        using var redemptions = new MetricCollector<long>(
            _server.Services.GetRequiredService<IMeterFactory>(), JwtDevicesDiagnostics.MeterName, "jwtdevices.previous_token_redemptions");

        var first = await RefreshAsync(_login.PermanentToken);
        await RefreshAsync(_login.PermanentToken);
        await RefreshAsync(_login.PermanentToken);
        await RefreshAsync(first.PermanentToken);

        Assert.Equal(2, redemptions.GetMeasurementSnapshot().Sum(measurement => measurement.Value));
    }

    [Fact]
    public async Task TheReplacedToken_AfterTheInterval_RevokesTheDevice_AndItsTokens()
    {
        var first = await RefreshAsync(_login.PermanentToken);
        _server.Time.Advance(Interval + TimeSpan.FromSeconds(1));

        var replay = await RefreshAnswer.OfAsync(_client, _login.PermanentToken);

        AssertReused(replay);
        await AssertDeviceIsGoneAsync(first.PermanentToken!, _login.Token, first.Token!);
        Assert.Contains(_server.LogLines, line => line.Contains("was presented again", StringComparison.Ordinal)
            && line.Contains(_login.DeviceId!.Value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOlderToken_EvenWithinTheInterval_RevokesTheDevice()
    {
        var first = await RefreshAsync(_login.PermanentToken);
        var second = await RefreshAsync(first.PermanentToken);

        // The first token is two rotations old: no retry can explain it.
        var replay = await RefreshAnswer.OfAsync(_client, _login.PermanentToken);

        AssertReused(replay);
        await AssertDeviceIsGoneAsync(second.PermanentToken!, second.Token!);
    }

    [Fact]
    public async Task TheThiefsRefreshFirst_ThenTheOwnersLateOne_RevokesTheDeviceForBoth()
    {
        // A thief copies the token and refreshes first; the owner's refresh after the interval revokes the device.
        var thief = await RefreshAsync(_login.PermanentToken);
        _server.Time.Advance(Interval * 2);

        AssertReused(await RefreshAnswer.OfAsync(_client, _login.PermanentToken));

        await AssertDeviceIsGoneAsync(thief.PermanentToken!, thief.Token!);
    }

    [Fact]
    public async Task TextNamingTheDevice_ThatTheServerDidNotMake_IsUnknown_AndRevokesNothing()
    {
        var first = await RefreshAsync(_login.PermanentToken);
        await RefreshAsync(first.PermanentToken);
        var id = _login.DeviceId!.Value;
        var body = _login.PermanentToken!.Split('.')[2];

        foreach (var forged in new[]
        {
            $"{id}.0.{Base64UrlEncoder.Encode(new byte[48])}",
            $"{id}.0.{body[..^2]}AA",
            $"{id}.1.{body}",
            $"{id + 1}.0.{body}",
            $"{id}.-1.{body}",
            $"{id}.99999999999999999999.{body}",
            $"{id}.0.{body}.",
        })
        {
            var answer = await RefreshAnswer.OfAsync(_client, forged);
            Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{forged}: {answer.Status}");
            Assert.Equal("invalid_permanent_token", answer.Code);
        }
        Assert.Equal(1, await _server.CountDevicesAsync());
        Assert.Equal(HttpStatusCode.OK, await _client.StatusOfAsync(HttpMethod.Get, "/me", first.Token));
    }

    [Fact]
    public async Task LogIn_HandsOutATokenThatNamesTheDevice()
    {
        var parts = _login.PermanentToken!.Split('.');

        Assert.Equal(3, parts.Length);
        Assert.Equal(_login.DeviceId!.Value.ToString(CultureInfo.InvariantCulture), parts[0]);
        Assert.Equal("0", parts[1]);
        Assert.Equal(64, parts[2].Length);
    }

    [Fact]
    public async Task ASeedFormToken_MadeBeforeRotationWasOn_RotatesAndItsRetryGetsTheSameSuccessor()
    {
        using var before = _server.WithOwnDatabase(("JwtDevices:CleanupInterval", "30.00:00:00"));
        await before.AddUserAsync("legacy");
        var legacy = await before.CreateClient().LoginAsync("legacy");
        Assert.DoesNotContain('.', legacy.PermanentToken!);
        using var after = before.OnSameDatabase(("JwtDevices:RotatePermanentTokens", "true"), ("JwtDevices:CleanupInterval", "30.00:00:00"));
        var client = after.CreateClient();

        var first = await RefreshAnswer.OfAsync(client, legacy.PermanentToken);
        var retried = await RefreshAnswer.OfAsync(client, legacy.PermanentToken);
        var next = await RefreshAnswer.OfAsync(client, first.PermanentToken);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.StartsWith($"{legacy.DeviceId}.1.", first.PermanentToken, StringComparison.Ordinal);
        Assert.Equal(first.PermanentToken, retried.PermanentToken);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.StartsWith($"{legacy.DeviceId}.2.", next.PermanentToken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithRotationOff_ARotatedDeviceKeepsItsCurrentToken_AndRefreshAnswersOnlyAToken()
    {
        var first = await RefreshAsync(_login.PermanentToken);
        using var off = _server.OnSameDatabase(("JwtDevices:CleanupInterval", "30.00:00:00"));
        var client = off.CreateClient();

        var again = await RefreshAnswer.OfAsync(client, first.PermanentToken);
        var again2 = await RefreshAnswer.OfAsync(client, first.PermanentToken);

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(["token"], again.Keys);
        Assert.Equal(HttpStatusCode.OK, again2.Status);
        Assert.Equal("invalid_permanent_token", (await RefreshAnswer.OfAsync(client, _login.PermanentToken)).Code);
    }

    private async Task<RefreshAnswer> RefreshAsync(string? permanentToken)
    {
        var answer = await RefreshAnswer.OfAsync(_client, permanentToken);
        Assert.True(answer.Status == HttpStatusCode.OK, $"Refresh answered {answer.Status} {answer.Code}.");
        Assert.NotNull(answer.PermanentToken);
        return answer;
    }

    private Task<Device> DeviceAsync() => _server.WithDatabaseAsync(db => db.Set<Device>().AsNoTracking().SingleAsync());

    private static void AssertReused(RefreshAnswer answer)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("permanent_token_reused", answer.Code);
    }

    // The device, its newest permanent token and every access token it had are all dead.
    private async Task AssertDeviceIsGoneAsync(string newestPermanentToken, params string[] accessTokens)
    {
        Assert.Equal(0, await _server.CountDevicesAsync());
        foreach (var token in accessTokens)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await _client.StatusOfAsync(HttpMethod.Get, "/me", token));
        }
        var newest = await RefreshAnswer.OfAsync(_client, newestPermanentToken);
        Assert.Equal(HttpStatusCode.BadRequest, newest.Status);
        var revocation = await _server.WithDatabaseAsync(db => db.Set<DeviceRevocation>().AsNoTracking().SingleAsync());
        Assert.Equal(DeviceRevocationReason.ReuseDetected, revocation.Reason);
    }
}

public sealed class RotationOnSqlite : RotationTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class RotationOnPostgres : RotationTests<PostgresServer>;
