using System.Diagnostics;
using System.Globalization;
using System.Text;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Attacks.Fuzz;

/// <summary>
/// Thousands of seeded random requests across every mapped endpoint: not one may get a 5xx, or throw.
/// The seed and request count can be changed with <c>JWTDEVICES_FUZZ_SEED</c> and
/// <c>JWTDEVICES_FUZZ_REQUESTS</c>; a failure prints the seed and the requests that failed.
/// </summary>
public abstract class FuzzTests<TServer>(TServer server, ITestOutputHelper output) : IClassFixture<TServer>
    where TServer : FuzzServer
{
    /// <summary>The seed of CI's runs: fixed, so that a failure is reproduced by running the test again.</summary>
    public const int DefaultSeed = 20261130;

    private const string Password = "password123";

    /// <summary>How many requests this provider's run sends by default.</summary>
    protected abstract int DefaultRequests { get; }

    [Fact]
    public async Task RandomRequests_AcrossAllEndpoints_NeverGet5xx()
    {
        var seed = Setting("JWTDEVICES_FUZZ_SEED", DefaultSeed);
        var count = Setting("JWTDEVICES_FUZZ_REQUESTS", DefaultRequests);
        var users = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            users.Add($"fuzz_{i}");
            await server.EnsureUserAsync(users[^1]);
        }
        var endpoints = MappedEndpoint.All(server);
        var random = new Random(seed);
        using var dpopKey = new DpopKey();
        var fuzzer = new RequestFuzzer(random, endpoints, users, Password, dpopKey, () => server.Time.GetUtcNow());
        var client = server.CreateClient();
        var byClass = new SortedDictionary<int, int>();
        var byStatus = new SortedDictionary<int, int>();
        var failures = new List<string>();
        var stopwatch = Stopwatch.StartNew();

        for (var i = 0; i < count; i++)
        {
            MoveClock(random);
            var (request, description, refreshing) = fuzzer.Next();
            using (request)
            {
                try
                {
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    var status = (int)response.StatusCode;
                    byClass[status / 100] = byClass.GetValueOrDefault(status / 100) + 1;
                    byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
                    if (status >= 500)
                    {
                        failures.Add($"#{i}: {status} for {description}: {Shorten(body)}");
                    }
                    else if (status >= 400)
                    {
                        ProblemAssert.HasNoInternals(body);
                    }
                    fuzzer.Learn(response, body, refreshing);
                }
                catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
                {
                    byClass[5] = byClass.GetValueOrDefault(5) + 1;
                    failures.Add($"#{i}: {exception.GetType().Name} for {description}: {Shorten(exception.ToString())}");
                }
            }
        }

        var summary = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"fuzz on {server.Provider}: {count} requests, seed {seed}, {endpoints.Count} mapped endpoints, ")
            .Append(CultureInfo.InvariantCulture, $"{fuzzer.LoginCount} devices logged in, {stopwatch.Elapsed.TotalSeconds:F1} s\n")
            .Append(CultureInfo.InvariantCulture, $"status classes: {string.Join(", ", Enumerable.Range(1, 5).Select(c => $"{c}xx {byClass.GetValueOrDefault(c)}"))}\n")
            .Append(CultureInfo.InvariantCulture, $"statuses: {string.Join(", ", byStatus.Select(s => $"{s.Key} {s.Value}"))}\n")
            .Append(CultureInfo.InvariantCulture, $"endpoints: {string.Join(", ", endpoints)}")
            .ToString();
        output.WriteLine(summary);
        foreach (var failure in failures.Take(20))
        {
            output.WriteLine(failure);
        }
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {count} requests got a 5xx or threw (seed {seed}; rerun with JWTDEVICES_FUZZ_SEED={seed}):\n{string.Join('\n', failures.Take(10))}");
        Assert.True(byClass.GetValueOrDefault(2) > count / 20, $"Too few requests got through to succeed, the fuzz tests little: {summary}");
    }

    // Now and then time passes: tokens expire, devices go idle, cleanup runs.
    private void MoveClock(Random random)
    {
        var roll = random.NextDouble();
        if (roll < 0.0005)
        {
            server.Time.Advance(TimeSpan.FromDays(random.Next(1, 9)));
        }
        else if (roll < 0.005)
        {
            server.Time.Advance(TimeSpan.FromSeconds(random.Next(1, 300)));
        }
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static string Shorten(string value) => value.Length <= 300 ? value : value[..300] + "...";
}

public sealed class FuzzOnSqlite(FuzzSqliteServer server, ITestOutputHelper output) : FuzzTests<FuzzSqliteServer>(server, output)
{
    protected override int DefaultRequests => 10_000;
}

[RequiresService(TestServices.Postgres)]
public sealed class FuzzOnPostgres(FuzzPostgresServer server, ITestOutputHelper output) : FuzzTests<FuzzPostgresServer>(server, output)
{
    protected override int DefaultRequests => 2_000;
}
