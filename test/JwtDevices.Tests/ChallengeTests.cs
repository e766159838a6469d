using System.Net;
using JwtDevices.Endpoints;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests;

/// <summary>
/// The 401 answer's body says what its <c>WWW-Authenticate</c> header says (RFC 6750 3.1): an error code when a
/// token was presented and refused, none when no token was presented.
/// </summary>
public abstract class ChallengeTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Theory]
    [InlineData(null)]
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    [InlineData("Bearer ")]
    public async Task WithoutAToken_TheChallengeAndTheBody_CarryNoErrorCode(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await server.CreateClient().SendAsync(request);

        var body = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, null);
        Assert.False(body.TryGetProperty("code", out _), body.ToString());
        Assert.Equal("Authentication credentials were not provided.", body.GetProperty("detail").GetString());
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal(("Bearer", null), (challenge.Scheme, challenge.Parameter));
    }

    [Fact]
    public async Task WithARefusedToken_TheChallengeAndTheBody_CarryInvalidToken()
    {
        using var response = await server.CreateClient().SendWithTokenAsync(HttpMethod.Get, "/me", "not-a-token", "Bearer");

        var body = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, JwtDevicesErrors.InvalidToken);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("error=\"invalid_token\", error_description=\"The token is not a signed JWT.\"", challenge.Parameter);
        Assert.Equal("The token is not a signed JWT.", body.GetProperty("detail").GetString());
    }
}

public sealed class ChallengeOnSqlite(SqliteServer server) : ChallengeTests<SqliteServer>(server);
