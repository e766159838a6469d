using System.Diagnostics;
using System.Globalization;
using System.Net;
using JwtDevices.Server.Commands;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// Nodes of one deployment: one database (a SQLite file, or a PostgreSQL database of its own), one poll interval,
/// and one Redis channel when on Redis.
/// </summary>
internal sealed class Deployment : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jwtdevices-nodes-").FullName;
    private readonly List<NodeFactory> _nodes = [];
    private readonly TimeSpan _pollInterval;
    private readonly string? _redis;
    private readonly PostgresTestDatabase? _postgres;
    private readonly Dictionary<string, string?> _database;

    /// <param name="pollInterval">JwtDevices:RevocationPollInterval.</param>
    /// <param name="redis">A StackExchange.Redis configuration string, or null for none.</param>
    /// <param name="postgres">On a PostgreSQL database of its own rather than a SQLite file.</param>
    /// <param name="settings">More settings for every node.</param>
    public Deployment(TimeSpan pollInterval, string? redis = null, bool postgres = false, params (string Key, string? Value)[] settings)
    {
        _pollInterval = pollInterval;
        _redis = redis;
        _postgres = postgres ? new PostgresTestDatabase() : null;
        _database = new Dictionary<string, string?>
        {
            [JwtDevices.Server.Data.ServerDatabase.ProviderKey] = postgres ? "Postgres" : "Sqlite",
            ["ConnectionStrings:Default"] = _postgres?.ConnectionString ?? $"Data Source={Path.Combine(_directory, "shared.db")}",
        };
        foreach (var (key, value) in settings)
        {
            _database[key] = value;
        }
    }

    /// <summary>The PostgreSQL database of a deployment on PostgreSQL.</summary>
    public string? PostgresConnectionString => _postgres?.ConnectionString;

    /// <summary>The Redis channel of this deployment's nodes, one per deployment so that tests on one Redis do not mix.</summary>
    public string Channel { get; } = $"jwtdevices-tests:{Guid.NewGuid():N}";

    /// <summary>Starts one more node (migrating the database if it is the first) and returns it.</summary>
    public NodeFactory StartNode()
    {
        var node = new NodeFactory(_database, _pollInterval, _redis, _redis is null ? null : Channel);
        _nodes.Add(node);
        _ = node.Services; // starts the host
        return node;
    }

    public async Task AddUserAsync(string name)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await UsersCommand.AddUserAsync(_nodes[0].Services, name, "password123", $"{name}@example.com", output, error);
        Assert.True(exitCode == 0, error.ToString());
    }

    /// <summary>
    /// Logs a device of <paramref name="user"/> in through <paramref name="a"/>, warms <paramref name="b"/>
    /// with its JWT (and with a refused one), logs it out through <paramref name="a"/>, then asks <paramref name="b"/> in a tight loop
    /// until it refuses the JWT.
    /// </summary>
    /// <returns>
    /// The time from A's answer to the log-out (the revocation is committed) until B's first 401, and the
    /// log-out request's own duration on A.
    /// </returns>
    public static async Task<(TimeSpan Refused, TimeSpan LogOut)> MeasureRefusalAsync(HttpClient a, HttpClient b, string user)
    {
        var login = await a.LoginAsync(user);
        using (var warm = await b.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }
        // B's refusal path too: a node's first 401 pays for setting it up, which is not what is measured.
        using (var refusal = await b.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token[..^4] + "AAAA"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refusal.StatusCode);
        }

        var logOutClock = Stopwatch.StartNew();
        using (var logout = await a.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", login.Token,
            headers: ("Device-Id", login.DeviceId!.Value.ToString(CultureInfo.InvariantCulture))))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }
        var logOut = logOutClock.Elapsed;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var probe = await b.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);
            if (probe.StatusCode == HttpStatusCode.Unauthorized)
            {
                return (clock.Elapsed, logOut);
            }
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "Node B still accepts the logged-out device's JWT after 60 s.");
            // The nodes share this process: back-to-back probes would take the CPU from the node's own background work.
            await Task.Delay(1);
        }
    }

    /// <summary><see cref="MeasureRefusalAsync"/> for <paramref name="devices"/> devices, one after the other.</summary>
    /// <param name="a">The node that logs devices in and out.</param>
    /// <param name="b">The node that must refuse them.</param>
    /// <param name="user">The user whose devices these are.</param>
    /// <param name="devices">How many devices.</param>
    /// <param name="spread">
    /// Waits a random time up to this before each log-out, so that log-outs fall anywhere between two polls
    /// rather than a fixed time after the last one.
    /// </param>
    public static async Task<List<TimeSpan>> MeasureRefusalsAsync(HttpClient a, HttpClient b, string user, int devices, TimeSpan spread = default)
    {
        var refused = new List<TimeSpan>();
        for (var i = 0; i < devices; i++)
        {
            if (spread > TimeSpan.Zero)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * spread.TotalMilliseconds));
            }
            refused.Add((await MeasureRefusalAsync(a, b, user)).Refused);
        }
        return refused;
    }

    /// <summary>"p50 1.2 ms, p99 3.4 ms, max 5.6 ms (n = 100)", nearest-rank percentiles.</summary>
    public static string Describe(IReadOnlyList<TimeSpan> samples) =>
        string.Create(CultureInfo.InvariantCulture,
            $"p50 {Percentile(samples, 50).TotalMilliseconds:0.0} ms, p99 {Percentile(samples, 99).TotalMilliseconds:0.0} ms, max {samples.Max().TotalMilliseconds:0.0} ms (n = {samples.Count})");

    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> samples, int percent)
    {
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Max(rank, 1) - 1];
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }
        _postgres?.Drop();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the system.
        }
    }
}
