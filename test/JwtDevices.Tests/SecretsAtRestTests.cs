using System.Net;
using System.Text;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests;

/// <summary>Nothing usable at rest or in the logs: the database and the log lines hold no secret.</summary>
public sealed class SecretsAtRestTests : IDisposable
{
    private const string Password = "a-secret-password";
    private readonly ServerFactory _server = new();

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

        var dump = await DumpDatabaseAsync();

        AssertAbsent(dump, Encoding.UTF8.GetBytes(login.PermanentToken!), "permanent token");
        AssertAbsent(dump, Base64UrlEncoder.DecodeBytes(login.PermanentToken!), "permanent token bytes");
        AssertAbsent(dump, Encoding.UTF8.GetBytes(login.Token), "JWT");
        AssertAbsent(dump, Encoding.UTF8.GetBytes(refreshed), "refreshed JWT");
        AssertAbsent(dump, Encoding.UTF8.GetBytes(ServerFactory.SigningKey), "master key (base64)");
        AssertAbsent(dump, Convert.FromBase64String(ServerFactory.SigningKey), "master key");
        AssertAbsent(dump, deviceKey, "device key");
        AssertAbsent(dump, Encoding.UTF8.GetBytes(Password), "password");
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

    private async Task<byte[]> DumpDatabaseAsync()
    {
        // Fold the write-ahead log into the file so the dump is complete, then read every byte of both.
        await using (var connection = new SqliteConnection($"Data Source={_server.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }
        var dump = new List<byte>(await File.ReadAllBytesAsync(_server.DatabasePath));
        var wal = _server.DatabasePath + "-wal";
        if (File.Exists(wal))
        {
            dump.AddRange(await File.ReadAllBytesAsync(wal));
        }
        return [.. dump];
    }

    private static void AssertAbsent(byte[] haystack, byte[] needle, string what) =>
        Assert.True(haystack.AsSpan().IndexOf(needle) < 0, $"The database holds the {what}.");
}
