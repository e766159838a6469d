using System.Net;
using System.Net.Http.Json;
using JwtDevices.Endpoints;
using JwtDevices.Server.Users;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JwtDevices.Tests.RateLimits;

/// <summary>
/// The rate limits of log-in and refresh, with the server's defaults unless a test says otherwise: failed
/// log-ins per user name, all log-ins and refreshes per client address; 429 with <c>Retry-After</c>.
/// Each test runs its own host (so its own counters) on the fixture's database and fake clock.
/// </summary>
public abstract class RateLimitTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Fact]
    public async Task TheEleventhLogIn_AfterTenFailures_Gets429_EvenWithTheRightPassword_UntilTheWindowPasses()
    {
        await server.EnsureUserAsync("limit_guessed");
        using var host = Host();
        var client = host.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            using var failure = await LoginAsync(client, "limit_guessed", $"guess-{i}");
            await ProblemAssert.IsProblemAsync(failure, HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidCredentials);
            server.Time.Advance(TimeSpan.FromSeconds(30));
        }

        using (var limited = await LoginAsync(client, "limit_guessed", "password123"))
        {
            var body = await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests, JwtDevicesErrors.TooManyRequests);
            // ASP.NET Core's own table of problem types has no 429.
            Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", body.GetProperty("type").GetString());
            Assert.Equal("Too Many Requests", body.GetProperty("title").GetString());
            // The first failure leaves the 15-minute window 15 min - 10 x 30 s = 10 minutes from now.
            Assert.Equal(TimeSpan.FromMinutes(10), limited.Headers.RetryAfter?.Delta);
        }

        server.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        using (var stillLimited = await LoginAsync(client, "limit_guessed", "password123"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, stillLimited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), stillLimited.Headers.RetryAfter?.Delta);
        }
        server.Time.Advance(TimeSpan.FromSeconds(1));
        using var allowed = await LoginAsync(client, "limit_guessed", "password123");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task GuessingOneUsersPassword_NeitherHindersAnotherUser_NorLocksTheAccount()
    {
        await server.EnsureUserAsync("limit_victim");
        await server.EnsureUserAsync("limit_bystander");
        using var host = Host();
        var client = host.CreateClient();
        var victimsPhone = await client.LoginAsync("limit_victim");
        for (var i = 0; i < 11; i++)
        {
            using var guess = await LoginAsync(client, "limit_victim", $"guess-{i}");
        }

        using (var limited = await LoginAsync(client, "limit_victim", "password123"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }
        await client.LoginAsync("limit_bystander");
        // The victim's device keeps working: no lock-out stored on the account.
        using (var refresh = await client.RefreshAsync(victimsPhone.PermanentToken))
        {
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ServerUser>>();
        var victim = (await users.FindByNameAsync("limit_victim"))!;
        Assert.False(await users.IsLockedOutAsync(victim));
        Assert.Equal(0, await users.GetAccessFailedCountAsync(victim));
    }

    [Fact]
    public async Task ThePagesSignIn_SharesTheFailedLogInLimit_AndLogsItsFailures()
    {
        await server.EnsureUserAsync("limit_page");
        using var host = Host();
        var client = host.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            using var failure = await LoginAsync(client, "limit_page", $"guess-{i}");
            using var pageFailure = await client.SendAsync(PageClient.Request("/page/login/", new { username = "limit_page", password = $"page-guess-{i}" }));
            Assert.Equal(HttpStatusCode.BadRequest, pageFailure.StatusCode);
        }

        using var limited = await client.SendAsync(PageClient.Request("/page/login/", new { username = "limit_page", password = "password123" }));

        await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests, JwtDevicesErrors.TooManyRequests);
        Assert.Equal(10, server.LogLines.Count(line => line.Contains("[40]", StringComparison.Ordinal) && line.Contains(LoginLog.NameHash("LIMIT_PAGE"), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FailuresCount_ByTheNormalizedUserName()
    {
        await server.EnsureUserAsync("limit_cased");
        using var host = Host();
        var client = host.CreateClient();
        foreach (var name in new[] { "limit_cased", "LIMIT_CASED", "Limit_Cased", "limit_CASED", "LIMIT_cased" })
        {
            using var first = await LoginAsync(client, name, "wrong");
            using var second = await LoginAsync(client, name, "wrong");
        }

        using var limited = await LoginAsync(client, "limit_cased", "password123");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    [Fact]
    public async Task SuccessfulLogIns_DoNotCountAsFailures()
    {
        await server.EnsureUserAsync("limit_busy");
        using var host = Host(("RateLimits:LoginsPerClientPerMinute", "1000"));
        var client = host.CreateClient();
        for (var i = 0; i < 9; i++)
        {
            using var failure = await LoginAsync(client, "limit_busy", "wrong");
        }

        for (var i = 0; i < 12; i++)
        {
            await client.LoginAsync("limit_busy");
        }

        using var tenth = await LoginAsync(client, "limit_busy", "wrong");
        Assert.Equal(HttpStatusCode.BadRequest, tenth.StatusCode);
    }

    [Fact]
    public async Task LogIns_PerClientAddress_TheSixtyFirstInAMinute_Gets429_OthersAddressesGoOn()
    {
        await server.EnsureUserAsync("limit_crowd");
        // Log-ins without a password cost no password hash, and the limit counts them too.
        using var host = Host(("RateLimits:FailedLoginsPerUserName", "1000"));
        var client = host.CreateClient();
        for (var i = 0; i < 60; i++)
        {
            using var attempt = await LoginAsync(client, "limit_crowd", string.Empty, "192.0.2.1");
            Assert.Equal(HttpStatusCode.BadRequest, attempt.StatusCode);
        }

        using (var limited = await LoginAsync(client, "limit_crowd", "password123", "192.0.2.1"))
        {
            await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests, JwtDevicesErrors.TooManyRequests);
            Assert.NotNull(limited.Headers.RetryAfter?.Delta);
            Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        }
        using (var otherAddress = await LoginAsync(client, "limit_crowd", "password123", "192.0.2.2"))
        {
            Assert.Equal(HttpStatusCode.OK, otherAddress.StatusCode);
        }

        server.Time.Advance(TimeSpan.FromMinutes(1));
        using var nextMinute = await LoginAsync(client, "limit_crowd", "password123", "192.0.2.1");
        Assert.Equal(HttpStatusCode.OK, nextMinute.StatusCode);
    }

    [Fact]
    public async Task IPv6Clients_AreCountedByTheir64Network()
    {
        await server.EnsureUserAsync("limit_v6");
        using var host = Host(("RateLimits:LoginsPerClientPerMinute", "2"));
        var client = host.CreateClient();

        using var first = await LoginAsync(client, "limit_v6", "password123", "2001:db8:1:2::1");
        using var second = await LoginAsync(client, "limit_v6", "password123", "2001:db8:1:2::ffff");
        using var sameNetwork = await LoginAsync(client, "limit_v6", "password123", "2001:db8:1:2:aaaa::5");
        using var otherNetwork = await LoginAsync(client, "limit_v6", "password123", "2001:db8:1:3::1");

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK],
            new[] { first, second, sameNetwork, otherNetwork }.Select(response => response.StatusCode));
    }

    [Fact]
    public async Task Refreshes_PerClientAddress_OverTheLimit_Get429()
    {
        await server.EnsureUserAsync("limit_refresh");
        using var host = Host(("RateLimits:RefreshesPerClientPerMinute", "5"));
        var client = host.CreateClient();
        var login = await client.LoginAsync("limit_refresh");
        for (var i = 0; i < 5; i++)
        {
            using var refresh = await RefreshAsync(client, login.PermanentToken!, "198.51.100.7");
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }

        using (var limited = await RefreshAsync(client, login.PermanentToken!, "198.51.100.7"))
        {
            await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests, JwtDevicesErrors.TooManyRequests);
            Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        }
        using (var otherAddress = await RefreshAsync(client, login.PermanentToken!, "198.51.100.8"))
        {
            Assert.Equal(HttpStatusCode.OK, otherAddress.StatusCode);
        }
        server.Time.Advance(TimeSpan.FromMinutes(1));
        using var nextMinute = await RefreshAsync(client, login.PermanentToken!, "198.51.100.7");
        Assert.Equal(HttpStatusCode.OK, nextMinute.StatusCode);
    }

    [Fact]
    public async Task Disabled_TurnsEveryLimitOff()
    {
        await server.EnsureUserAsync("limit_off");
        using var host = Host(
            ("RateLimits:Enabled", "false"), ("RateLimits:LoginsPerClientPerMinute", "1"), ("RateLimits:RefreshesPerClientPerMinute", "1"));
        var client = host.CreateClient();
        for (var i = 0; i < 12; i++)
        {
            using var failure = await LoginAsync(client, "limit_off", "wrong");
            Assert.Equal(HttpStatusCode.BadRequest, failure.StatusCode);
        }

        var login = await client.LoginAsync("limit_off");
        for (var i = 0; i < 3; i++)
        {
            using var refresh = await client.RefreshAsync(login.PermanentToken);
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }
    }

    [Fact]
    public void TheServersDefaults_AreThoseTheIssueAsksFor()
    {
        using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseSetting("ConnectionStrings:Default", server.ConnectionString)
            .UseSetting("Database:Provider", server.Provider.ToString())
            .UseSetting("JwtDevices:SigningKey", ServerFactory.SigningKey));

        var limits = host.Services.GetRequiredService<IOptions<JwtDevicesRateLimitOptions>>().Value;

        Assert.True(limits.Enabled);
        Assert.Equal(10, limits.FailedLoginsPerUserName);
        Assert.Equal(100, limits.FailedLoginsPerUserNameFromAllClients);
        Assert.Equal(TimeSpan.FromMinutes(15), limits.FailedLoginWindow);
        Assert.True(limits.LoginsPerClientPerMinute >= 60);
        Assert.True(limits.RefreshesPerClientPerMinute >= 600);
    }

    [Fact]
    public async Task EveryFailedLogIn_IsLogged_WithTheNamesHashAndAddress_NeverThePassword()
    {
        await server.EnsureUserAsync("limit_logged");
        using var host = Host();
        var client = host.CreateClient();
        const string password = "SecretGuess-8c1f";

        using var failure = await LoginAsync(client, "limit_logged", password, "203.0.113.9");
        using var unknown = await LoginAsync(client, "limit_nobody\nFAKE LINE", password, "203.0.113.9");

        Assert.Equal(HttpStatusCode.BadRequest, failure.StatusCode);
        var lines = server.LogLines.Where(line => line.Contains("[40]", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, line => line.Contains(LoginLog.NameHash("LIMIT_LOGGED"), StringComparison.Ordinal) && line.Contains("203.0.113.9", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains(LoginLog.NameHash("LIMIT_NOBODY\nFAKE LINE"), StringComparison.Ordinal));
        Assert.DoesNotContain(server.LogLines, line => line.Contains("FAKE LINE", StringComparison.Ordinal));
        Assert.DoesNotContain(server.LogLines, line => line.Contains(password, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("RateLimits:FailedLoginsPerUserName", "0")]
    [InlineData("RateLimits:FailedLoginsPerUserNameFromAllClients", "0")]
    [InlineData("RateLimits:LoginsPerClientPerMinute", "-1")]
    [InlineData("RateLimits:RefreshesPerClientPerMinute", "0")]
    [InlineData("RateLimits:FailedLoginWindow", "00:00:00")]
    public void NonsenseLimits_StopStartUp_NamingTheSetting(string setting, string value)
    {
        using var host = Host((setting, value));

        var exception = Assert.ThrowsAny<Exception>(() => host.Services);

        Assert.Contains(setting, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongOldPasswords_OnThePasswordChange_CountAsFailedLogIns()
    {
        await server.EnsureUserAsync("limit_stolen_jwt");
        using var host = Host(("RateLimits:LoginsPerClientPerMinute", "1000"));
        var client = host.CreateClient();
        using var login = await LoginAsync(client, "limit_stolen_jwt", "password123");
        var token = (await login.ReadJsonAsync()).GetProperty("token").GetString();
        for (var i = 0; i < 10; i++)
        {
            using var wrong = await ChangePasswordAsync(client, token, $"guess-{i}");
            await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidPassword);
        }

        // A stolen JWT buys no more guesses than the log-in form gives: both doors share the user name's limit.
        using (var limited = await ChangePasswordAsync(client, token, "password123"))
        {
            await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests, JwtDevicesErrors.TooManyRequests);
            Assert.NotNull(limited.Headers.RetryAfter);
        }
        using var loginLimited = await LoginAsync(client, "limit_stolen_jwt", "password123");
        Assert.Equal(HttpStatusCode.TooManyRequests, loginLimited.StatusCode);
    }

    [Fact]
    public async Task APasswordTypedAsTheUserName_NeverReachesTheLogs()
    {
        using var host = Host();
        var client = host.CreateClient();
        const string typedPassword = "Hunter2-typed-in-the-name-field";

        using var failure = await LoginAsync(client, typedPassword, "whatever", "203.0.113.9");

        Assert.Equal(HttpStatusCode.BadRequest, failure.StatusCode);
        Assert.Contains(server.LogLines, line => line.Contains("[40]", StringComparison.Ordinal) && line.Contains("203.0.113.9", StringComparison.Ordinal));
        Assert.DoesNotContain(server.LogLines, line => line.Contains("typed-in-the-name", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TenFailuresFromAnAttacker_DoNotLockTheUserOut_BehindATrustedProxy()
    {
        await server.EnsureUserAsync("limit_alice");
        using var host = Host(("ForwardedHeaders:KnownProxies", "127.0.0.1"));
        var client = host.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            using var guess = await ProxiedLoginAsync(client, "limit_alice", $"guess-{i}", "203.0.113.9");
            Assert.Equal(HttpStatusCode.BadRequest, guess.StatusCode);
        }

        using (var owner = await ProxiedLoginAsync(client, "limit_alice", "password123", "198.51.100.7"))
        {
            Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        }
        using var eleventh = await ProxiedLoginAsync(client, "limit_alice", "password123", "203.0.113.9");
        await ProblemAssert.IsProblemAsync(eleventh, HttpStatusCode.TooManyRequests, JwtDevicesErrors.TooManyRequests);
    }

    [Fact]
    public async Task ConcurrentGuesses_FromOneAddress_CheckAtMostTheLimit()
    {
        await server.EnsureUserAsync("limit_rushed");
        using var host = Host(("RateLimits:LoginsPerClientPerMinute", "1000"));
        var client = host.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => LoginAsync(client, "limit_rushed", $"guess-{i}", "203.0.113.10")));

        Assert.Equal(10, answers.Count(answer => answer.StatusCode == HttpStatusCode.BadRequest));
        Assert.Equal(40, answers.Count(answer => answer.StatusCode == HttpStatusCode.TooManyRequests));
        // One failure line per password checked.
        Assert.Equal(10, server.LogLines.Count(line => line.Contains("[40]", StringComparison.Ordinal) && line.Contains("203.0.113.10", StringComparison.Ordinal)));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task ThePerNameCeiling_StopsGuessesFromManyAddresses_ButNotAKnownClient()
    {
        await server.EnsureUserAsync("limit_spread");
        using var host = Host(("RateLimits:FailedLoginsPerUserName", "2"), ("RateLimits:FailedLoginsPerUserNameFromAllClients", "4"));
        var client = host.CreateClient();
        using (var signedIn = await LoginAsync(client, "limit_spread", "password123", "198.51.100.20"))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        }
        foreach (var attacker in new[] { "203.0.113.21", "203.0.113.21", "203.0.113.22", "203.0.113.22" })
        {
            using var guess = await LoginAsync(client, "limit_spread", "wrong", attacker);
            Assert.Equal(HttpStatusCode.BadRequest, guess.StatusCode);
        }

        using (var newAddress = await LoginAsync(client, "limit_spread", "password123", "203.0.113.23"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, newAddress.StatusCode);
        }
        using var known = await LoginAsync(client, "limit_spread", "password123", "198.51.100.20");
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
    }

    [Fact]
    public async Task ThePagesSignIn_FromAnotherAddress_IsNotLockedOutByAnAttacker()
    {
        await server.EnsureUserAsync("limit_page_owner");
        using var host = Host();
        var client = host.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            using var guess = await LoginAsync(client, "limit_page_owner", $"guess-{i}", "203.0.113.30");
        }

        var signIn = PageClient.Request("/page/login/", new { username = "limit_page_owner", password = "password123" });
        signIn.Headers.Add(ClientAddressStartupFilter.Header, "198.51.100.30");
        using var owner = await client.SendAsync(signIn);

        Assert.True(owner.IsSuccessStatusCode, owner.StatusCode.ToString());
    }

    /// <summary>A log-in through the trusted proxy at 127.0.0.1, for the client it names in <c>X-Forwarded-For</c>.</summary>
    private static Task<HttpResponseMessage> ProxiedLoginAsync(HttpClient client, string username, string password, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth-token/") { Content = JsonContent.Create(new { username, password }) };
        request.Headers.Add(ClientAddressStartupFilter.Header, "127.0.0.1");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }

    /// <summary>A host of its own (own counters) on the fixture's database and clock, with the limits on.</summary>
    private WebApplicationFactory<Program> Host(params (string Key, string Value)[] settings) =>
        server.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("RateLimits:Enabled", "true");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, ClientAddressStartupFilter>());
        });

    private static Task<HttpResponseMessage> ChangePasswordAsync(HttpClient client, string? token, string oldPassword)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/password/")
        {
            Content = JsonContent.Create(new { old_password = oldPassword, new_password = "a brand new password" }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("JWT", token);
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string username, string password, string? address = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth-token/") { Content = JsonContent.Create(new { username, password }) };
        if (address is not null)
        {
            request.Headers.Add(ClientAddressStartupFilter.Header, address);
        }
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string permanentToken, string address)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/device-refresh-token/");
        request.Headers.Add("Permanent-Token", permanentToken);
        request.Headers.Add(ClientAddressStartupFilter.Header, address);
        return client.SendAsync(request);
    }
}

public sealed class RateLimitOnSqlite(SqliteServer server) : RateLimitTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class RateLimitOnPostgres(PostgresServer server) : RateLimitTests<PostgresServer>(server);
