using System.Globalization;

namespace JwtDevices.FaultDrill;

/// <summary>What perf/fault-drill.sh hands over through the environment; every value is checked once, here.</summary>
internal sealed record DrillSettings(
    bool WithRedis,
    string ServerDll,
    string ConnectionString,
    string? Redis,
    string ServicesScript,
    string ServicesDirectory,
    string WorkDirectory,
    int[] NodePorts,
    string UserName,
    string Password,
    TimeSpan Duration,
    double RequestsPerSecond,
    int Clients,
    TimeSpan RedisDown,
    TimeSpan PostgresDown,
    double DropRate,
    TimeSpan PollInterval,
    TimeSpan ReuseInterval,
    TimeSpan FastBound,
    TimeSpan FastMargin,
    TimeSpan PollMargin,
    TimeSpan OutageGrace)
{
    public string SetUp => WithRedis ? "with Redis" : "without Redis";

    public static DrillSettings FromEnvironment(string setUp)
    {
        var withRedis = setUp switch
        {
            "redis" => true,
            "no-redis" => false,
            _ => throw new ArgumentException($"The set-up is 'redis' or 'no-redis', not '{setUp}'."),
        };
        var ports = Text("DRILL_NODE_PORTS").Split(',').Select(port => int.Parse(port, CultureInfo.InvariantCulture)).ToArray();
        if (ports.Length != 2)
        {
            throw new ArgumentException("DRILL_NODE_PORTS names two ports, as 5331,5332.");
        }
        var settings = new DrillSettings(
            withRedis,
            Text("DRILL_SERVER_DLL"),
            Text("DRILL_POSTGRES"),
            withRedis ? Text("DRILL_REDIS") : null,
            Text("DRILL_SERVICES_SCRIPT"),
            Text("JWTDEVICES_SERVICES_DIR"),
            Text("DRILL_WORK"),
            ports,
            Text("DRILL_USER"),
            Text("DRILL_PASSWORD"),
            Seconds("DURATION", 120),
            Number("RATE", 80),
            (int)Number("CLIENTS", 16),
            Seconds("REDIS_DOWN", 10),
            Seconds("POSTGRES_DOWN", 8),
            Number("DROP_RATE", 0.2),
            Seconds("POLL_INTERVAL", 10),
            Seconds("REUSE_INTERVAL", 30),
            Milliseconds("FAST_BOUND_MS", 100),
            Milliseconds("FAST_MARGIN_MS", 0),
            Milliseconds("POLL_MARGIN_MS", 1000),
            Seconds("OUTAGE_GRACE", 3));
        if (settings.Clients < 2 || settings.RequestsPerSecond <= 0 || settings.DropRate is < 0 or > 1)
        {
            throw new ArgumentException("CLIENTS is at least 2, RATE above 0, DROP_RATE between 0 and 1.");
        }
        return settings;
    }

    private static string Text(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new ArgumentException($"{name} is not set.");

    private static double Number(string name, double fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? double.Parse(value.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture)
            : fallback;

    private static TimeSpan Seconds(string name, double fallback) => TimeSpan.FromSeconds(Number(name, fallback));

    private static TimeSpan Milliseconds(string name, double fallback) => TimeSpan.FromMilliseconds(Number(name, fallback));
}
