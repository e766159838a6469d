using System.Diagnostics;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>Runs the built server as its own process, as an operator would, in an empty working directory.</summary>
public static class ServerProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Task<Result> RunAsync(params string[] args) => RunAsync(null, null, args);

    /// <summary>
    /// Runs the server with <paramref name="input"/> on standard input and these environment variables added,
    /// in an empty working directory that is also its content root (so that it reads no appsettings.json and
    /// keeps nothing beside the test's files).
    /// </summary>
    public static async Task<Result> RunAsync(string? input, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("jwtdevices-process-");
        try
        {
            var withContentRoot = new Dictionary<string, string> { ["DOTNET_CONTENTROOT"] = workingDirectory.FullName };
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                withContentRoot[name] = value;
            }
            return await RunInAsync(workingDirectory.FullName, input, withContentRoot, args);
        }
        finally
        {
            workingDirectory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Runs the server in <paramref name="workingDirectory"/> with these environment variables added and no
    /// content root set: the server chooses it, as when an operator runs it.
    /// </summary>
    public static async Task<Result> RunInAsync(
        string workingDirectory, string? input, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.Environment.Remove("DOTNET_CONTENTROOT");
        start.Environment.Remove("ASPNETCORE_CONTENTROOT");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        start.ArgumentList.Add(ServerDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>The built server, in the tests' own output folder.</summary>
    public static string ServerDll { get; } = Path.Combine(AppContext.BaseDirectory, "JwtDevices.Server.dll");
}
