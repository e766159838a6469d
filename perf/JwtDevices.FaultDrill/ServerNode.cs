using System.Diagnostics;
using System.Globalization;

namespace JwtDevices.FaultDrill;

/// <summary>One JwtDevices server process (Release) on a port of its own, which the drill can kill with SIGKILL and start again.</summary>
internal sealed class ServerNode(string name, int port, DrillSettings settings) : IDisposable
{
    // Generous: on a machine shared with builds, a node has been seen to take 20 s to start.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private Process? _process;

    public string Name { get; } = name;

    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{port}");

    public string LogFile => Path.Combine(settings.WorkDirectory, $"node-{Name}.log");

    public async Task StartAsync(HttpClient http, CancellationToken cancellationToken)
    {
        // Through sh's exec, so that the process is the server itself and its output goes to a file without a reader.
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", "exec dotnet \"$0\" --urls \"$1\" >>\"$2\" 2>&1", settings.ServerDll, BaseAddress.ToString(), LogFile },
            UseShellExecute = false,
        };
        var environment = start.Environment;
        environment["ConnectionStrings__Default"] = settings.ConnectionString;
        environment.Remove("ConnectionStrings__Redis");
        if (settings.Redis is { } redis)
        {
            environment["ConnectionStrings__Redis"] = redis;
        }
        environment["JwtDevices__RotatePermanentTokens"] = "true";
        environment["JwtDevices__RotationReuseInterval"] = settings.ReuseInterval.ToString("c", CultureInfo.InvariantCulture);
        environment["JwtDevices__RevocationPollInterval"] = settings.PollInterval.ToString("c", CultureInfo.InvariantCulture);
        // Every client of the drill comes from 127.0.0.1: the per-address limits would refuse the load itself.
        environment["RateLimits__Enabled"] = "false";
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Node {Name} did not start.");
        // For fault-drill.sh's clean-up, should this process be killed before it stops its nodes.
        await File.WriteAllTextAsync(Path.Combine(settings.WorkDirectory, $"node-{Name}.pid"), _process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Node {Name} exited with code {_process.ExitCode} while starting; see {LogFile}.");
            }
            try
            {
                using var live = await http.GetAsync(new Uri(BaseAddress, "/health/live"), cancellationToken);
                if (live.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (clock.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"Node {Name} did not answer within {StartTimeout.TotalSeconds:0} s; see {LogFile}.");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>SIGKILL: no shutdown hook runs, requests in flight are cut.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    public void Dispose()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
        _process?.Dispose();
    }
}
