using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using JwtDevices.Server.Django;
using JwtDevices.Server.Users;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace JwtDevices.Tests;

/// <summary>
/// Log-ins against what a user's row may hold besides a fresh Identity hash (nothing, a Django hash, an old
/// or broken one), over HTTP: a refusal spends what a native wrong password does and never answers 500, and
/// upgrading an old hash at log-in neither fails under concurrent log-ins nor logs the user's devices out.
/// The server's Identity hasher counts its checks, so what a log-in spent is seen without timing it.
/// </summary>
public abstract class StoredPasswordLogInTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private const string Password = "password123";

    private readonly CountingPasswordHasher _identity = new();
    private readonly ServerFactory _server;

    protected StoredPasswordLogInTests()
    {
        _server = new TServer().WithServices(services =>
            services.Replace(ServiceDescriptor.Singleton<PasswordHasher<ServerUser>>(_identity)));
    }

    public void Dispose() => _server.Dispose();

    public static TheoryData<string?> StoredValuesNothingMatches => new()
    {
        null, // no password at all
        "!zqt2NK8ryjK5pSOPEnAZKusXeuhb0ODDDxFEbuhb", // Django's unusable password
        "abc", // no hash: Identity threw FormatException, a 500
        "AAAA", // base64, but no Identity hash
        IdentityV3Hash(iterations: 40_000_000), // Identity's format, asking for 40 million iterations
        "md5$ginasalt$4898c4779e6b2aab56a9db96502282e6", // a Django format not verified here
        "pbkdf2_sha256$600000$seasalt$not base64!", // a broken Django hash
        // Beyond the bounds, where one log-in took 30 seconds and more (argon2: half a gigabyte too).
        "pbkdf2_sha256$40000000$seasalt$OAXyhAQ/4ZDA9V5RMExt3C1OwQdUpLZ99vm1McFlLRA=",
        "argon2$argon2id$v=19$m=1048576,t=2,p=2$SFBFbEM2MUZ2bFJsY3hVNDFQZ3JDcQ$QcXdGHPpHsU2TVUjq1wY5Q",
        "bcrypt_sha256$$2b$17$6E6XG4tbQ7XKTEDJI6OB2utKyolrTqTe.3FgocK3w.GAVWCM5v6qi",
    };

    [Theory]
    [MemberData(nameof(StoredValuesNothingMatches))]
    public async Task ARefusedLogIn_SpendsOneIdentityCheck_AndAnswersAsAWrongPassword_WhateverIsStored(string? stored)
    {
        await _server.AddUserAsync("native");
        await _server.AddUserAsync("victim");
        await SetPasswordHashAsync("victim", stored);
        var client = _server.CreateClient();
        var (wrongStatus, wrongErrors, wrongChecks) = await RefusedLogInAsync(client, "native", "not the password");

        var started = Stopwatch.GetTimestamp();
        var (status, errors, checks) = await RefusedLogInAsync(client, "victim", Password);
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.Equal(HttpStatusCode.BadRequest, wrongStatus);
        Assert.Equal(1, wrongChecks);
        Assert.Equal(wrongStatus, status);
        Assert.Equal(wrongErrors, errors);
        Assert.Equal(wrongChecks, checks);
        // Nothing beyond the bounds was computed: those took 30 seconds and more.
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"The refusal took {elapsed}.");
    }

    [Fact]
    public async Task AnUnknownName_SpendsTheCheckAWrongPasswordDoes_UnderTheApplicationsIterationCount()
    {
        // An unknown name on a server of Identity's default settings first: a dummy hash kept once per
        // process would cost those settings' work on every server after it.
        using (var first = await _server.CreateClient().PostLoginAsync("nobody_at_the_default", Password))
        {
            Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        }
        const int iterations = 20_000;
        var counting = new CountingPasswordHasher(iterations);
        using var tuned = new TServer().WithServices(services =>
        {
            services.Configure<PasswordHasherOptions>(options => options.IterationCount = iterations);
            services.Replace(ServiceDescriptor.Singleton<PasswordHasher<ServerUser>>(counting));
        });
        await tuned.AddUserAsync("tuned_native");
        var client = tuned.CreateClient();

        var wrongPassword = await ChecksOfRefusalAsync(counting, client, "tuned_native", "not the password");
        var unknownName = await ChecksOfRefusalAsync(counting, client, "tuned_nobody", Password);

        Assert.Equal(1, wrongPassword);
        Assert.Equal(wrongPassword, unknownName);
    }

    [Fact]
    public async Task ConcurrentLogIns_OfAUserWhoseHashIsUpgraded_AllSucceed_AndNoDeviceIsLoggedOut()
    {
        await _server.AddUserAsync("pat");
        var client = _server.CreateClient();
        var earlier = await client.LoginAsync("pat");
        // As import-django leaves it: a Django hash of the same password, costly enough that the log-ins overlap.
        await SetPasswordHashAsync("pat", DjangoPbkdf2(Password, 300_000));
        var stamp = await SecurityStampAsync("pat");

        var logIns = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.PostLoginAsync("pat", Password)));

        Assert.All(logIns, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.False(DjangoPasswordHashes.IsDjangoHash(await PasswordHashAsync("pat") ?? "!"), "The hash was not upgraded.");
        Assert.Equal(stamp, await SecurityStampAsync("pat"));
        var permanentTokens = new List<string> { earlier.PermanentToken! };
        foreach (var response in logIns)
        {
            permanentTokens.Add((await response.ReadJsonAsync()).GetProperty("permanent_token").GetString()!);
            response.Dispose();
        }
        foreach (var permanentToken in permanentTokens)
        {
            using var refresh = await client.RefreshAsync(permanentToken);
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }
        await client.LoginAsync("pat"); // the upgraded hash holds the same password
    }

    [Fact]
    public async Task UpgradingAnIdentityHashOfFewerIterations_KeepsTheUsersOtherDevicesLoggedIn()
    {
        await _server.AddUserAsync("quinn");
        var client = _server.CreateClient();
        var earlier = await client.LoginAsync("quinn");
        var fewer = new PasswordHasher<ServerUser>(Options.Create(new PasswordHasherOptions { IterationCount = 1000 }));
        var weak = fewer.HashPassword(new ServerUser(), Password);
        await SetPasswordHashAsync("quinn", weak);

        await client.LoginAsync("quinn");

        Assert.NotEqual(weak, await PasswordHashAsync("quinn"));
        using var refresh = await client.RefreshAsync(earlier.PermanentToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    private async Task<(HttpStatusCode Status, string Errors, int Checks)> RefusedLogInAsync(HttpClient client, string name, string password)
    {
        var before = _identity.Checks;
        using var response = await client.PostLoginAsync(name, password);
        var checks = _identity.Checks - before;
        var errors = response.StatusCode == HttpStatusCode.BadRequest ? (await response.ReadJsonAsync()).GetProperty("errors").GetRawText() : string.Empty;
        return (response.StatusCode, errors, checks);
    }

    private static async Task<int> ChecksOfRefusalAsync(CountingPasswordHasher hasher, HttpClient client, string name, string password)
    {
        var before = hasher.Checks;
        using var response = await client.PostLoginAsync(name, password);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return hasher.Checks - before;
    }

    private Task<int> SetPasswordHashAsync(string name, string? hash) => _server.WithDatabaseAsync(db =>
        db.Users.Where(u => u.UserName == name).ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, hash)));

    private Task<string?> PasswordHashAsync(string name) =>
        _server.WithDatabaseAsync(db => db.Users.Where(u => u.UserName == name).Select(u => u.PasswordHash).SingleAsync());

    private Task<string?> SecurityStampAsync(string name) =>
        _server.WithDatabaseAsync(db => db.Users.Where(u => u.UserName == name).Select(u => u.SecurityStamp).SingleAsync());

    // Django's pbkdf2_sha256 format, as PBKDF2PasswordHasher.encode writes it.
    private static string DjangoPbkdf2(string password, int iterations)
    {
        const string salt = "seasaltseasalt";
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2_sha256${iterations}${salt}${Convert.ToBase64String(key)}";
    }

    // Identity's version 3 layout: 0x01, PRF, iterations, salt length (big-endian), a 16-byte salt, a 32-byte key.
    private static string IdentityV3Hash(int iterations)
    {
        var hash = new byte[13 + 16 + 32];
        hash[0] = 0x01;
        BinaryPrimitives.WriteUInt32BigEndian(hash.AsSpan(1), 2);
        BinaryPrimitives.WriteUInt32BigEndian(hash.AsSpan(5), (uint)iterations);
        BinaryPrimitives.WriteUInt32BigEndian(hash.AsSpan(9), 16);
        return Convert.ToBase64String(hash);
    }
}

public sealed class StoredPasswordLogInOnSqlite : StoredPasswordLogInTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class StoredPasswordLogInOnPostgres : StoredPasswordLogInTests<PostgresServer>;
