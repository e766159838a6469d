using System.Net;
using JwtDevices.Devices;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Tests.Rotation;

/// <summary>
/// Forced interleavings of a rotation: each test holds one refresh just before its conditional update,
/// lets another request change the device meanwhile, then lets the held refresh finish.
/// </summary>
public abstract class RotationRaceTests<TServer> : IAsyncLifetime, IDisposable
    where TServer : ServerFactory, new()
{
    private readonly StoreGates _gates = new();
    private readonly ServerFactory _server = new TServer().WithSettings(("JwtDevices:RotatePermanentTokens", "true"));
    private WebApplicationFactory<Program> _gated = null!;
    private HttpClient _client = null!;
    private ApiClient.Login _login = null!;

    public async Task InitializeAsync()
    {
        _gated = GatedDeviceStore.Install(_server, _gates);
        await _server.AddUserAsync("racer");
        _client = _gated.CreateClient();
        _login = await _client.LoginAsync("racer");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _gated.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task ARotationThatLosesTheRace_AnswersTheWinnersSuccessor()
    {
        var held = _gates.CloseAsync(GatedDeviceStore.BeforeRotatePermanentToken, out var release);
        var loser = RefreshAnswer.OfAsync(_client, _login.PermanentToken);
        await held;
        var winner = await RefreshAnswer.OfAsync(_client, _login.PermanentToken);
        release();
        var late = await loser;

        Assert.Equal(HttpStatusCode.OK, winner.Status);
        Assert.Equal(HttpStatusCode.OK, late.Status);
        Assert.Equal(winner.PermanentToken, late.PermanentToken);
        var device = await _server.WithDatabaseAsync(db => db.Set<Device>().AsNoTracking().SingleAsync());
        Assert.Equal(1, device.PermanentTokenGeneration);
    }

    [Fact]
    public async Task ALogOutWhileARotationIsHeld_LeavesTheDeviceGone_AndHandsOutNoToken()
    {
        var held = _gates.CloseAsync(GatedDeviceStore.BeforeRotatePermanentToken, out var release);
        var refresh = RefreshAnswer.OfAsync(_client, _login.PermanentToken);
        await held;
        using (var logout = await _client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{_login.DeviceId}/", _login.Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }
        release();
        var answer = await refresh;

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("invalid_permanent_token", answer.Code);
        Assert.Null(answer.Token);
        Assert.Equal(0, await _server.CountDevicesAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await RefreshAnswer.OfAsync(_client, _login.PermanentToken)).Status);
    }
}

public sealed class RotationRaceOnSqlite : RotationRaceTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class RotationRaceOnPostgres : RotationRaceTests<PostgresServer>;
