using System.Net;
using JwtDevices.Endpoints;
using JwtDevices.Tests.Infrastructure;
using JwtDevices.Tokens;

namespace JwtDevices.Tests.BadInput;

/// <summary>Refresh with permanent tokens that are not ours: 400, and no device lost.</summary>
public abstract class RefreshBadInputTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Fact]
    public async Task Refresh_WithAn8KBPermanentToken_Is400_AndDeletesNothing()
    {
        var login = await ArrangeAsync("refresh_8kb");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await server.CreateClient().RefreshAsync(new string('A', 8 * 1024));

        var body = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidPermanentToken);
        ProblemAssert.HasErrorsFor(body, "Permanent-Token");
        await AssertNothingLostAsync(devicesBefore, login);
    }

    [Fact]
    public async Task Refresh_WithAWrongTokenOfTheRightLength_Is400_AndDeletesNothing()
    {
        var login = await ArrangeAsync("refresh_wrong");
        var devicesBefore = await server.CountDevicesAsync();
        var wrong = PermanentTokens.Create();
        Assert.Equal(login.PermanentToken!.Length, wrong.Length);

        using var response = await server.CreateClient().RefreshAsync(wrong);

        var body = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidPermanentToken);
        ProblemAssert.HasErrorsFor(body, "Permanent-Token");
        await AssertNothingLostAsync(devicesBefore, login);
    }

    [Fact]
    public async Task Refresh_WithTheTokenChangedInOneCharacter_Is400_AndDeletesNothing()
    {
        var login = await ArrangeAsync("refresh_one_char");
        var devicesBefore = await server.CountDevicesAsync();
        var token = login.PermanentToken!;
        var changed = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        using var response = await server.CreateClient().RefreshAsync(changed);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidPermanentToken);
        await AssertNothingLostAsync(devicesBefore, login);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("not a token")]
    [InlineData("' OR 1=1 --")]
    [InlineData("%00%00")]
    public async Task Refresh_WithGarbage_Is400_AndDeletesNothing(string permanentToken)
    {
        var login = await ArrangeAsync($"refresh_garbage_{permanentToken.Length}");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await server.CreateClient().RefreshAsync(permanentToken);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, code: null);
        await AssertNothingLostAsync(devicesBefore, login);
    }

    [Fact]
    public async Task Refresh_WithAnAccessTokenInsteadOfThePermanentToken_Is400()
    {
        var login = await ArrangeAsync("refresh_access_token");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await server.CreateClient().RefreshAsync(login.Token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidPermanentToken);
        await AssertNothingLostAsync(devicesBefore, login);
    }

    private async Task<ApiClient.Login> ArrangeAsync(string name)
    {
        await server.EnsureUserAsync(name);
        return await server.CreateClient().LoginAsync(name);
    }

    /// <summary>The device count is unchanged, and the real permanent token still refreshes.</summary>
    private async Task AssertNothingLostAsync(int devicesBefore, ApiClient.Login login)
    {
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
        Assert.True(await server.DeviceExistsAsync(login.DeviceId!.Value));
        using var refresh = await server.CreateClient().RefreshAsync(login.PermanentToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }
}

public sealed class RefreshBadInputOnSqlite(SqliteServer server) : RefreshBadInputTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class RefreshBadInputOnPostgres(PostgresServer server) : RefreshBadInputTests<PostgresServer>(server);
