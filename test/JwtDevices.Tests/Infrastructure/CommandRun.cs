using JwtDevices.Server.Commands;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>Runs an admin command in the test process, against a test server's services.</summary>
public static class CommandRun
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        /// <summary>The table's data rows, each split into its cells (cells hold no double space).</summary>
        public string[][] Rows => [.. Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
    }

    public static async Task<Result> RunCommandWithInputAsync(this ServerFactory server, string? input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input ?? string.Empty);
        var exitCode = await AdminCommands.InvokeAsync(args, server.Services, output, error, reader);
        return new Result(exitCode, output.ToString(), error.ToString());
    }

    public static Task<Result> RunCommandAsync(this ServerFactory server, params string[] args) => server.RunCommandWithInputAsync(null, args);
}
