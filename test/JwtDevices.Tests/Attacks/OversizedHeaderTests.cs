using System.Net;
using JwtDevices.Endpoints;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Attacks;

/// <summary>
/// Oversized and doubled headers other than the JWT itself (oversized JWTs are among <see cref="Forgeries"/>):
/// each gets its documented 4xx, and nothing stored changes.
/// </summary>
public abstract class OversizedHeaderTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    private static readonly string s_megabyte = new('7', 1024 * 1024);

    public static TheoryData<string> Cases => new(s_cases.Keys);

    // A Basic header presents no bearer token: the 401 carries no error code (RFC 6750 3.1).
    private static readonly Dictionary<string, (string Method, string Path, bool WithToken, string Header, HttpStatusCode Status, string? Code)> s_cases = new()
    {
        ["a 1 MB Device-Id on log-out"] = ("DELETE", "/device-logout/", true, "Device-Id", HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidDeviceId),
        ["a 1 MB Permanent-Token on refresh"] = ("POST", "/device-refresh-token/", false, "Permanent-Token", HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidPermanentToken),
        ["a 1 MB Permanent-Token on GET /me"] = ("GET", "/me", true, "Permanent-Token", HttpStatusCode.BadRequest, JwtDevicesErrors.PermanentTokenNotPermitted),
        ["a 1 MB Authorization of the Basic scheme on GET /me"] = ("GET", "/me", false, "Authorization", HttpStatusCode.Unauthorized, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task OversizedHeader_GetsItsDocumented4xx_AndChangesNothing(string attack)
    {
        var (method, path, withToken, header, status, code) = s_cases[attack];
        var scene = await AttackScene.OfAsync(server);
        var before = await StoredData.ReadAsync(server);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (withToken)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"JWT {scene.Attacker.Token}");
        }
        request.Headers.TryAddWithoutValidation(header, header == "Authorization" ? $"Basic {s_megabyte}" : s_megabyte);

        using var response = await server.CreateClient().SendAsync(request);

        var body = await ProblemAssert.IsProblemAsync(response, status, code);
        Assert.Equal(code is not null, body.TryGetProperty("code", out _));
        await StoredData.AssertUnchangedAsync(server, before);
    }

    [Fact]
    public async Task TwoAuthorizationHeaders_AGenuineThenAForgedOne_Is401_AndChangesNothing()
    {
        var scene = await AttackScene.OfAsync(server);
        var forged = HandMadeJwt.WithPayload(scene.Attacker.Token, scene.VictimPayload);
        var before = await StoredData.ReadAsync(server);
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/devices/{scene.VictimDeviceId}/");
        request.Headers.TryAddWithoutValidation("Authorization", $"JWT {scene.Attacker.Token}");
        request.Headers.TryAddWithoutValidation("Authorization", $"JWT {forged}");

        using var response = await server.CreateClient().SendAsync(request);

        await AttackAssert.IsChallengeAsync(response, "two Authorization headers");
        await StoredData.AssertUnchangedAsync(server, before);
    }
}

public sealed class OversizedHeaderOnSqlite(SqliteServer server) : OversizedHeaderTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class OversizedHeaderOnPostgres(PostgresServer server) : OversizedHeaderTests<PostgresServer>(server);
