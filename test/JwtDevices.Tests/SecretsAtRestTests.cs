using System.Globalization;
using System.Net;
using System.Text;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests;

/// <summary>Nothing usable at rest or in the logs: the database and the log lines hold no secret.</summary>
public abstract class SecretsAtRestTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private const string Password = "a-secret-password";
    private readonly TServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task DatabaseDump_HoldsNoPermanentTokenJwtOrSigningKey()
    {
        await _server.AddUserAsync("at_rest", Password);
        var client = _server.CreateClient();
        var login = await client.LoginAsync("at_rest", Password);
        using var refresh = await client.RefreshAsync(login.PermanentToken);
        var refreshed = (await refresh.ReadJsonAsync()).GetProperty("token").GetString()!;
        var device = await _server.WithDatabaseAsync(db => db.Set<Devices.Device>().SingleAsync());
        var deviceKey = ((SymmetricSecurityKey)_server.Services.GetRequiredService<Tokens.AccessTokenService>()
            .CreateCredentials(device).SigningCredentials.Key).Key;

        var dump = await DatabaseDump.ReadAsync(_server);

        // The dump is real: it holds the user and the device's (public) salt.
        Assert.True(dump.AsSpan().IndexOf("at_rest"u8) >= 0, "The dump does not hold the user's name.");
        Assert.True(dump.AsSpan().IndexOf(device.KeySalt) >= 0 || dump.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(device.KeySalt))) >= 0,
            "The dump does not hold the device's salt.");

        DatabaseDump.AssertAbsent(dump, Encoding.UTF8.GetBytes(login.PermanentToken!), "permanent token");
        DatabaseDump.AssertAbsent(dump, Base64UrlEncoder.DecodeBytes(login.PermanentToken!), "permanent token bytes");
        DatabaseDump.AssertAbsent(dump, Encoding.UTF8.GetBytes(login.Token), "JWT");
        DatabaseDump.AssertAbsent(dump, Encoding.UTF8.GetBytes(refreshed), "refreshed JWT");
        DatabaseDump.AssertAbsent(dump, Encoding.UTF8.GetBytes(ServerFactory.SigningKey), "master key (base64)");
        DatabaseDump.AssertAbsent(dump, Convert.FromBase64String(ServerFactory.SigningKey), "master key");
        DatabaseDump.AssertAbsent(dump, deviceKey, "device key");
        DatabaseDump.AssertAbsent(dump, Encoding.UTF8.GetBytes(Password), "password");
    }

    [Fact]
    public async Task DatabaseDump_WithRotation_HoldsNoPermanentTokenOfTheChain_AndItsHashesRedeemNothing()
    {
        _server.WithSettings(("JwtDevices:RotatePermanentTokens", "true"));
        await _server.AddUserAsync("rotating", Password);
        var client = _server.CreateClient();
        var login = await client.LoginAsync("rotating", Password);
        var chain = new List<string> { login.PermanentToken! };
        for (var i = 0; i < 2; i++)
        {
            using var refresh = await client.RefreshAsync(chain[^1]);
            chain.Add((await refresh.ReadJsonAsync()).GetProperty("permanent_token").GetString()!);
        }
        var device = await _server.WithDatabaseAsync(db => db.Set<Devices.Device>().AsNoTracking().SingleAsync());

        var dump = await DatabaseDump.ReadAsync(_server);

        Assert.True(dump.AsSpan().IndexOf("rotating"u8) >= 0, "The dump does not hold the user's name.");
        foreach (var token in chain)
        {
            var body = token.Split('.')[2];
            DatabaseDump.AssertAbsent(dump, Encoding.UTF8.GetBytes(token), "permanent token");
            DatabaseDump.AssertAbsent(dump, Encoding.UTF8.GetBytes(body), "permanent token's body");
            DatabaseDump.AssertAbsent(dump, Base64UrlEncoder.DecodeBytes(body), "permanent token's bytes");
            DatabaseDump.AssertAbsent(dump, Base64UrlEncoder.DecodeBytes(body)[..32], "permanent token's secret");
        }
        // What the dump does hold, the hashes, is refused as a token in every form it could be presented.
        var id = device.Id.ToString(CultureInfo.InvariantCulture);
        foreach (var hash in new[] { device.PermanentTokenHash, device.PreviousPermanentTokenHash! })
        {
            foreach (var forged in new[]
            {
                Base64UrlEncoder.Encode(hash), Convert.ToHexStringLower(hash),
                $"{id}.{device.PermanentTokenGeneration}.{Base64UrlEncoder.Encode([.. hash, .. hash[..16]])}",
            })
            {
                using var refresh = await client.RefreshAsync(forged);
                Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
                Assert.Equal("invalid_permanent_token", (await refresh.ReadJsonAsync()).GetProperty("code").GetString());
            }
        }
        Assert.Equal(1, await _server.CountDevicesAsync());
    }

    [Fact]
    public async Task TokensForgedFromTheDatabase_AreRefused()
    {
        await _server.AddUserAsync("forger", Password);
        var client = _server.CreateClient();
        var login = await client.LoginAsync("forger", Password);
        var device = await _server.WithDatabaseAsync(db => db.Set<Devices.Device>().SingleAsync());
        var claims = new Dictionary<string, object>
        {
            ["user_id"] = long.Parse(device.UserId, System.Globalization.CultureInfo.InvariantCulture),
            ["username"] = "forger",
            ["email"] = "forger@example.com",
            ["device_id"] = device.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        foreach (var stolen in new[] { device.KeySalt, device.PermanentTokenHash })
        {
            var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Claims = claims,
                Expires = _server.Time.GetUtcNow().UtcDateTime.AddMinutes(5),
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(stolen), SecurityAlgorithms.HmacSha256),
            });

            using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/me", forged);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using var genuine = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    [Fact]
    public async Task Logs_HoldNoSecret_OverAWholeSession()
    {
        await _server.AddUserAsync("logged", Password);
        var client = _server.CreateClient();
        using var wrongLogin = await client.PostLoginAsync("logged", "wrong-password-value");
        var login = await client.LoginAsync("logged", Password);
        using var refresh = await client.RefreshAsync(login.PermanentToken);
        var refreshed = (await refresh.ReadJsonAsync()).GetProperty("token").GetString()!;
        using var leaked = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token, headers: ("Permanent-Token", login.PermanentToken!));
        using var tampered = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token[..^2] + "xx");
        using var unknown = await client.RefreshAsync("an-unknown-permanent-token");
        using var logout = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", refreshed,
            headers: ("Device-Id", login.DeviceId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var afterLogout = await client.SendWithTokenAsync(HttpMethod.Get, "/me", refreshed);
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);

        var log = string.Join('\n', _server.LogLines);

        Assert.NotEmpty(_server.LogLines);
        foreach (var secret in new[]
        {
            Password, "wrong-password-value", login.PermanentToken!, "an-unknown-permanent-token", ServerFactory.SigningKey,
            login.Token.Split('.')[2], refreshed.Split('.')[2], login.Token, refreshed,
        })
        {
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
        }
    }
}

public sealed class SecretsAtRestOnSqlite : SecretsAtRestTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class SecretsAtRestOnPostgres : SecretsAtRestTests<PostgresServer>;
