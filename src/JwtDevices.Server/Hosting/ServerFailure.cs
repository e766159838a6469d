using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Hosting;

/// <summary>
/// The one place where what stops the server or a command becomes what an operator reads: one
/// <c>error: ...</c> line per problem on standard error, naming the setting or the server to fix, and exit
/// code 1; never a stack trace. An exception that no setting explains (a bug) is not handled here.
/// </summary>
internal static class ServerFailure
{
    public const int ExitCode = 1;

    /// <summary>Writes each problem as one <c>error:</c> line; returns the exit code 1.</summary>
    public static async Task<int> ReportAsync(TextWriter error, IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            await error.WriteLineAsync($"error: {OneLine(problem)}");
        }
        return ExitCode;
    }

    /// <summary>
    /// The lines that say what the operator must fix, found anywhere in the exception's chain (the host and
    /// dependency injection wrap what a service throws); empty for an exception that is a bug.
    /// </summary>
    public static IReadOnlyList<string> Problems(Exception exception) => exception switch
    {
        ServerConfigurationException configuration => [configuration.Message],
        OptionsValidationException validation => [.. validation.Failures.Distinct()],
        // "Failed to bind to address http://127.0.0.1:5000: address already in use."
        IOException { InnerException: AddressInUseException } binding =>
            [$"{binding.Message.TrimEnd('.')}; stop what listens there, or choose another address with --urls."],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(Problems).Distinct()],
        { InnerException: { } inner } => Problems(inner),
        _ => [],
    };

    /// <summary>Text from elsewhere (a driver's message) made one line, and not too long to read.</summary>
    public static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] + "..." : line;
    }
}
