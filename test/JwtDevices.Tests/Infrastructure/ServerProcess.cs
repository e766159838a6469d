using System.Diagnostics;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>Runs the built server as its own process, as an operator would, in an empty working directory.</summary>
public static class ServerProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Task<Result> RunAsync(params string[] args) => RunAsync(null, null, args);

    /// <summary>Runs the server with <paramref name="input"/> on standard input and these environment variables added.</summary>
    public static async Task<Result> RunAsync(string? input, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("jwtdevices-process-");
        try
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                WorkingDirectory = workingDirectory.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "JwtDevices.Server.dll"));
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
        finally
        {
            workingDirectory.Delete(recursive: true);
        }
    }
}
