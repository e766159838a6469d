using JwtDevices.FaultDrill;

// The fault drill for one set-up ("redis" or "no-redis"), run by perf/fault-drill.sh, which starts PostgreSQL
// and Redis, builds the server and hands over the settings through the environment. Exit code 0 when every
// check passed, 1 when one failed, 2 when the drill itself could not run.
if (args is not [var setUp])
{
    Console.Error.WriteLine("usage: JwtDevices.FaultDrill redis|no-redis (run through perf/fault-drill.sh)");
    return 2;
}
DrillSettings settings;
try
{
    settings = DrillSettings.FromEnvironment(setUp);
    _ = FaultSchedule.For(settings);
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"fault drill: {exception.Message}");
    return 2;
}
using var drill = new Drill(settings);
try
{
    return await drill.RunAsync() ? 0 : 1;
}
catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException or IOException)
{
    // A node that would not start, a service script that failed: no verdict, but a clear line.
    Console.WriteLine($"[fault drill ({settings.SetUp})] FAILED: the drill could not run: {exception.Message}");
    return 2;
}
