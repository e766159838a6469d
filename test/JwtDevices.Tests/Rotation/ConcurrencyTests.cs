using System.Globalization;
using System.Net;
using JwtDevices.Devices;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Tests.Rotation;

/// <summary>
/// Many requests at once on one device or one user, over the real pipeline and database: no 5xx, no lost
/// device, never two live chains, and a logged-out device never comes back.
/// </summary>
public abstract class ConcurrencyTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private const int Parallel = 64;

    private readonly TServer _server = new();

    protected ConcurrencyTests()
    {
        // On a loaded machine PostgreSQL may take longer than Npgsql's 15 seconds to open 64 connections at
        // once; that would be a 503 for an outage that is not one, and these tests are about correctness.
        if (_server.Provider == Server.Data.DatabaseProvider.Postgres)
        {
            _server.WithSettings(("ConnectionStrings:Default", _server.ConnectionString + ";Timeout=120;Command Timeout=120"));
        }
    }

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ParallelRefreshesOfOneDevice_RotationOff_AllSucceed()
    {
        var (client, login) = await LogInAsync("parallel_off", rotate: false);

        var answers = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => RefreshAnswer.OfAsync(client, login.PermanentToken)));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.All(answers, answer => Assert.Equal(["token"], answer.Keys));
        Assert.Equal(1, await _server.CountDevicesAsync());
        Assert.Equal(HttpStatusCode.OK, (await RefreshAnswer.OfAsync(client, login.PermanentToken)).Status);
    }

    [Fact]
    public async Task ParallelRefreshesOfOneDevice_RotationOn_AllGetTheSameSuccessor_OneChainLives()
    {
        var (client, login) = await LogInAsync("parallel_on", rotate: true);

        var answers = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => RefreshAnswer.OfAsync(client, login.PermanentToken)));

        Assert.All(answers, answer => Assert.True(answer.Status == HttpStatusCode.OK, $"{answer.Status} {answer.Code}" + Failures()));
        var successor = Assert.Single(answers.Select(answer => answer.PermanentToken).Distinct());
        Assert.NotEqual(login.PermanentToken, successor);
        var device = await _server.WithDatabaseAsync(db => db.Set<Device>().AsNoTracking().SingleAsync());
        Assert.Equal(1, device.PermanentTokenGeneration);
        // The successor is the one live chain: it rotates on, and the next retry of the first token is reuse.
        var next = await RefreshAnswer.OfAsync(client, successor);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal("permanent_token_reused", (await RefreshAnswer.OfAsync(client, login.PermanentToken)).Code);
    }

    [Fact]
    public async Task ParallelRefreshesOfASuccessorAndItsPredecessor_RotationOn_AgreeOnOneChain()
    {
        var (client, login) = await LogInAsync("parallel_mixed", rotate: true);
        var first = await RefreshAnswer.OfAsync(client, login.PermanentToken);

        // Retries of the replaced token race refreshes of its successor. Once the successor has itself been
        // replaced, a retry of the first token is two rotations old: reuse, which ends the device.
        var answers = await Task.WhenAll(Enumerable.Range(0, Parallel)
            .Select(i => RefreshAnswer.OfAsync(client, i % 2 == 0 ? login.PermanentToken : first.PermanentToken)));

        Assert.All(answers, answer => Assert.True(
            answer.Status == HttpStatusCode.OK || answer.Code is "permanent_token_reused" or "invalid_permanent_token",
            $"{answer.Status} {answer.Code}" + Failures()));
        var successors = answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.PermanentToken).Distinct().ToArray();
        if (await _server.CountDevicesAsync() == 1)
        {
            // Never two live chains: every answer was a success, and the newest successor is the current token.
            Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
            Assert.InRange(successors.Length, 1, 2);
            var device = await _server.WithDatabaseAsync(db => db.Set<Device>().AsNoTracking().SingleAsync());
            Assert.Equal(successors.Max(GenerationOf), device.PermanentTokenGeneration);
            Assert.Equal(HttpStatusCode.OK, (await RefreshAnswer.OfAsync(client, successors.MaxBy(GenerationOf))).Status);
        }
        else
        {
            Assert.Contains(answers, a => a.Code == "permanent_token_reused");
            foreach (var successor in successors)
            {
                Assert.Equal(HttpStatusCode.BadRequest, (await RefreshAnswer.OfAsync(client, successor)).Status);
            }
        }
    }

    [Fact]
    public async Task ParallelLogInsOfOneUser_EachGetsItsOwnDevice()
    {
        await _server.AddUserAsync("crowd");
        var client = _server.CreateClient();

        var logins = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => client.LoginAsync("crowd")));

        Assert.Equal(Parallel, logins.Select(l => l.DeviceId).Distinct().Count());
        Assert.Equal(Parallel, await _server.CountDevicesAsync());
    }

    [Fact]
    public async Task ParallelLogInsOfOneUser_WithMaxDevices_Evict_LeaveExactlyTheLimit()
    {
        _server.WithSettings(("JwtDevices:MaxDevicesPerUser", "3"));
        await _server.AddUserAsync("crowd_evict");
        var client = _server.CreateClient();

        var logins = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => client.LoginAsync("crowd_evict")));

        Assert.Equal(Parallel, logins.Length);
        Assert.Equal(3, await _server.CountDevicesAsync());
        // Those kept are the newest, as one log-in after another would have left them.
        var kept = await _server.WithDatabaseAsync(db => db.Set<Device>().Select(d => d.Id).OrderBy(id => id).ToListAsync());
        Assert.Equal(logins.Select(l => l.DeviceId!.Value).Order().TakeLast(3), kept);
    }

    [Fact]
    public async Task ParallelLogInsOfOneUser_WithMaxDevices_Reject_NeverExceedTheLimit()
    {
        _server.WithSettings(("JwtDevices:MaxDevicesPerUser", "3"), ("JwtDevices:DeviceLimitStrategy", "Reject"));
        await _server.AddUserAsync("crowd_reject");
        var client = _server.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async _ =>
        {
            using var response = await client.PostLoginAsync("crowd_reject", "password123");
            var body = await response.ReadJsonAsync();
            return (response.StatusCode, Code: body.TryGetProperty("code", out var code) ? code.GetString() : null,
                DeviceId: body.TryGetProperty("device_id", out var id) ? id.GetInt64() : (long?)null);
        }));

        Assert.All(answers, answer => Assert.True(
            answer.StatusCode == HttpStatusCode.OK || answer.Code == "device_limit_reached", $"{answer.StatusCode} {answer.Code}" + Failures()));
        var admitted = answers.Where(a => a.StatusCode == HttpStatusCode.OK).Select(a => a.DeviceId!.Value).Order().ToArray();
        var stored = await _server.WithDatabaseAsync(db => db.Set<Device>().Select(d => d.Id).OrderBy(id => id).ToListAsync());
        Assert.InRange(stored.Count, 0, 3);
        // Every log-in that was answered 200 kept its device: a refused one leaves none behind.
        Assert.Equal(admitted, stored);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LogOutRacingRefreshes_TheDeviceNeverComesBack(bool rotate)
    {
        var (client, login) = await LogInAsync(rotate ? "race_on" : "race_off", rotate);

        var refreshes = Enumerable.Range(0, Parallel / 2).Select(_ => RefreshAnswer.OfAsync(client, login.PermanentToken)).ToArray();
        using var logout = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", login.Token,
            headers: ("Device-Id", login.DeviceId!.Value.ToString(CultureInfo.InvariantCulture)));
        var answers = await Task.WhenAll(refreshes);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.All(answers, answer => Assert.True(
            answer.Status == HttpStatusCode.OK || answer.Code == "invalid_permanent_token", $"{answer.Status} {answer.Code}" + Failures()));
        Assert.Equal(0, await _server.CountDevicesAsync());
        foreach (var answer in answers.Where(a => a.Status == HttpStatusCode.OK))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", answer.Token));
        }
        foreach (var permanent in answers.Select(a => a.PermanentToken).Append(login.PermanentToken).OfType<string>().Distinct())
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await RefreshAnswer.OfAsync(client, permanent)).Status);
        }
        Assert.Equal(0, await _server.CountDevicesAsync());
    }

    private async Task<(HttpClient Client, ApiClient.Login Login)> LogInAsync(string user, bool rotate)
    {
        _server.WithSettings(("JwtDevices:RotatePermanentTokens", rotate ? "true" : "false"));
        await _server.AddUserAsync(user);
        var client = _server.CreateClient();
        return (client, await client.LoginAsync(user));
    }

    // What the server logged of what went wrong, to explain an unexpected answer.
    private string Failures() =>
        string.Concat(_server.LogLines.Where(line => line.StartsWith("Warning", StringComparison.Ordinal) || line.StartsWith("Error", StringComparison.Ordinal))
            .Take(3).Select(line => "\n" + line));

    private static long GenerationOf(string? token) => long.Parse(token!.Split('.')[1], CultureInfo.InvariantCulture);
}

[Collection(ConcurrencyTestsRunAlone.Name)]
public sealed class ConcurrencyOnSqlite : ConcurrencyTests<SqliteServer>;

[Collection(ConcurrencyTestsRunAlone.Name)]
[RequiresService(TestServices.Postgres)]
public sealed class ConcurrencyOnPostgres : ConcurrencyTests<PostgresServer>;
