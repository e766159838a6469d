using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// The throw-away Redis of <c>scripts/test-services.sh</c>: its address from <c>JWTDEVICES_TEST_REDIS</c>,
/// and stopping and starting it for outage tests. Without it a test returns early, or fails under <c>CI=true</c>.
/// </summary>
internal static class TestRedis
{
    public const string Variable = "JWTDEVICES_TEST_REDIS";

    /// <summary>The Redis address (host:port), or null after writing why the test does not run.</summary>
    public static string? Address(ITestOutputHelper output) => Require(output, Variable);

    /// <summary>
    /// Whether this run may stop and start Redis (the services folder of test-services.sh is known);
    /// returns false after writing why not, or throws under CI.
    /// </summary>
    public static bool CanControl(ITestOutputHelper output) =>
        Require(output, Variable) is not null && Require(output, "JWTDEVICES_SERVICES_DIR") is not null;

    /// <summary>A loopback port where nothing listens (one was free a moment ago), for an unreachable Redis.</summary>
    public static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static Task StopAsync() => TestServicesScript.RunAsync("stop-redis");

    public static Task StartAsync() => TestServicesScript.RunAsync("start-redis");

    private static string? Require(ITestOutputHelper output, string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
        {
            return value;
        }
        var message = $"{variable} is not set: run 'eval \"$(bash scripts/test-services.sh start)\"' first.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Redis tests must run under CI: {message}");
        }
        output.WriteLine($"Not run: {message}");
        return null;
    }
}
