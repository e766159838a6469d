using System.Diagnostics;
using Npgsql;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>Stops and starts the throw-away servers of <c>scripts/test-services.sh</c>, for outage tests.</summary>
internal static class TestServicesScript
{
    /// <summary>Runs <c>test-services.sh COMMAND</c> on the servers the environment names.</summary>
    public static async Task RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot(), "scripts", "test-services.sh"), command])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        if (Environment.GetEnvironmentVariable(TestServices.Redis) is { Length: > 0 } redis)
        {
            start.Environment["JWTDEVICES_REDIS_PORT"] = redis.Split(':')[^1];
        }
        if (Environment.GetEnvironmentVariable(TestServices.Postgres) is { Length: > 0 } postgres)
        {
            start.Environment["JWTDEVICES_PG_PORT"] = new NpgsqlConnectionStringBuilder(postgres).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"test-services.sh {command} failed: {error}");
    }

    /// <summary>Whether the services folder is known, so the servers can be stopped and started.</summary>
    public static bool CanControl => Environment.GetEnvironmentVariable("JWTDEVICES_SERVICES_DIR") is { Length: > 0 };

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "JwtDevices.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("The repository root (JwtDevices.slnx) was not found.");
    }
}
