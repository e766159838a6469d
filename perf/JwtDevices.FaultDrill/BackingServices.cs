using System.Diagnostics;
using System.Globalization;

namespace JwtDevices.FaultDrill;

/// <summary>
/// The throw-away PostgreSQL and Redis that perf/fault-drill.sh started with scripts/test-services.sh: Redis is
/// stopped and started through the script; PostgreSQL's postmaster is killed with SIGKILL (no shutdown, no
/// checkpoint: a crash) and started again through the script once its orphaned backends have gone.
/// </summary>
internal sealed class BackingServices(DrillSettings settings)
{
    public Task StopRedisAsync() => RunScriptAsync("stop-redis");

    public Task StartRedisAsync() => RunScriptAsync("start-redis");

    public void KillPostgres()
    {
        var pid = int.Parse(File.ReadLines(Path.Combine(settings.ServicesDirectory, "pg", "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        using var postmaster = Process.GetProcessById(pid);
        postmaster.Kill();
        postmaster.WaitForExit();
    }

    /// <summary>Starts PostgreSQL again; its backends notice the postmaster's death and leave within moments, until then a start fails.</summary>
    public async Task StartPostgresAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RunScriptAsync("start-postgres");
                return;
            }
            catch (InvalidOperationException) when (attempt < 40)
            {
                await Task.Delay(250);
            }
        }
    }

    private async Task RunScriptAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { ArgumentList = { settings.ServicesScript, command }, UseShellExecute = false, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"test-services.sh {command} did not start.");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"test-services.sh {command} failed ({process.ExitCode}): {error.Trim()}");
        }
    }
}
