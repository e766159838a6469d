using System.CommandLine;

namespace JwtDevices.Server;

/// <summary>
/// The server's admin command line, run against the configured database: <c>users add</c> and
/// <c>devices purge-expired</c>. Arguments of the form <c>--Section:Key=value</c> set configuration,
/// as they do for the server; the others are the command's own.
/// </summary>
internal static class AdminCommands
{
    public static bool Handles(string[] args) => CommandArguments(args) is ["users" or "devices", ..] or [Django.DjangoImportCommand.Name, ..];

    /// <summary>The arguments that set configuration: <c>--Section:Key=value</c>.</summary>
    public static string[] ConfigurationArguments(string[] args) => [.. args.Where(IsConfiguration)];

    /// <summary>The arguments the command parses: all but those that set configuration.</summary>
    public static string[] CommandArguments(string[] args) => [.. args.Where(arg => !IsConfiguration(arg))];

    public static async Task<int> InvokeAsync(
        string[] args, IServiceProvider services, TextWriter? output = null, TextWriter? error = null, TextReader? input = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = new RootCommand("JwtDevices server administration.")
        {
            UsersCommand.Create(services, input ?? Console.In, output, error),
            DevicesCommand.Create(services, output),
            Django.DjangoImportCommand.Create(services, output, error),
        };
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static bool IsConfiguration(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is > 2 and var equals
        && arg.AsSpan(2, equals - 2).Contains(':');
}
