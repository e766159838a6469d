using System.Net;
using System.Text.Json;
using JwtDevices.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests;

/// <summary>Access tokens over HTTP: prefixes, claims, expiry, and GET /me.</summary>
public abstract class AccessTokenTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private readonly TServer _server = new();

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData("JWT")]
    [InlineData("Bearer")]
    [InlineData("jwt")]
    [InlineData("bearer")]
    public async Task Token_IsAccepted_WithEitherPrefix(string scheme)
    {
        await _server.AddUserAsync($"prefix_{scheme}");
        var client = _server.CreateClient();
        var login = await client.LoginAsync($"prefix_{scheme}");

        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token, scheme);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_IsRefused_WithAnotherPrefix()
    {
        await _server.AddUserAsync("prefix_basic");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("prefix_basic");

        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token, "Token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_CarriesTheSeedsClaims()
    {
        var userId = await _server.AddUserAsync("claims_user", email: "claims@example.com");
        var login = await _server.CreateClient().LoginAsync("claims_user");

        var parts = login.Token.Split('.');
        using var header = JsonDocument.Parse(Base64UrlEncoder.Decode(parts[0]));
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(parts[1]));

        Assert.Equal("HS256", header.RootElement.GetProperty("alg").GetString());
        var claims = payload.RootElement;
        Assert.Equal(userId, claims.GetProperty("user_id").GetInt64());
        Assert.Equal("claims_user", claims.GetProperty("username").GetString());
        Assert.Equal("claims@example.com", claims.GetProperty("email").GetString());
        Assert.Equal(login.DeviceId.ToString(), claims.GetProperty("device_id").GetString());
        var expected = _server.Time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds();
        Assert.Equal(expected, claims.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task Token_IsRefusedAtOnce_WhenExpired()
    {
        await _server.AddUserAsync("expiry_user");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("expiry_user");

        _server.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        using var justBefore = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);
        _server.Time.Advance(TimeSpan.FromSeconds(2));
        using var justAfter = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);

        Assert.Equal(HttpStatusCode.OK, justBefore.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, justAfter.StatusCode);
        Assert.Contains("expired", Assert.Single(justAfter.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_IsAcceptedWithinClockSkew_AndLifetimeIsConfigurable()
    {
        await using var server = _server.WithOwnDatabase(
            ("JwtDevices:AccessTokenLifetime", "00:00:30"),
            ("JwtDevices:ClockSkew", "00:00:10"));
        await server.AddUserAsync("skew_user");
        var client = server.CreateClient();
        var login = await client.LoginAsync("skew_user");

        server.Time.Advance(TimeSpan.FromSeconds(35));
        using var withinSkew = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);
        server.Time.Advance(TimeSpan.FromSeconds(10));
        using var pastSkew = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);

        Assert.Equal(HttpStatusCode.OK, withinSkew.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, pastSkew.StatusCode);
    }

    [Fact]
    public async Task Me_AnswersTheCallerFromTheToken()
    {
        var userId = await _server.AddUserAsync("me_user", email: "me@example.com");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("me_user");

        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token, "Bearer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(["device_id", "email", "user_id", "username"], body.Keys());
        Assert.Equal(userId, body.GetProperty("user_id").GetInt64());
        Assert.Equal("me_user", body.GetProperty("username").GetString());
        Assert.Equal("me@example.com", body.GetProperty("email").GetString());
        Assert.Equal(login.DeviceId, body.GetProperty("device_id").GetInt64());
    }

    [Fact]
    public async Task Me_WithoutToken_Is401WithBearerChallenge()
    {
        using var response = await _server.CreateClient().GetAsync("/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Null(challenge.Parameter);
    }
}

public sealed class AccessTokenOnSqlite : AccessTokenTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class AccessTokenOnPostgres : AccessTokenTests<PostgresServer>;
