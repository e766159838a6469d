using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using JwtDevices.Server.Hosting;

namespace JwtDevices.Server.Commands;

/// <summary>
/// The server's command line: help, and the admin commands run against the configured database. Each
/// command is one file with a <c>Name</c> and a <c>Create</c>; adding one is a line in each list below.
/// Arguments of the form <c>--Section:Key=value</c> (and <c>--contentRoot=DIR</c>, <c>--environment=NAME</c>)
/// set configuration, as they do for the server; the others are the command's own. Every failure, a
/// mistyped command as well as a bad setting, ends as one <c>error:</c> line and exit code 1.
/// </summary>
internal static class AdminCommands
{
    private static readonly string[] s_names = [UsersCommand.Name, DevicesCommand.Name, Django.DjangoImportCommand.Name];

    private static readonly Func<CommandContext, Command>[] s_commands =
    [
        UsersCommand.Create,
        DevicesCommand.Create,
        context => Django.DjangoImportCommand.Create(context, context.Output, context.Error),
    ];

    private static readonly string[] s_helpOptions = ["--help", "-h", "-?", "/?", "--version"];

    /// <summary>Whether the arguments ask for a command or for help, rather than for the server to serve.</summary>
    public static bool Handles(string[] args) => CommandArguments(args) switch
    {
        [var first, ..] when s_names.Contains(first, StringComparer.Ordinal) => true,
        var rest => rest.Any(arg => s_helpOptions.Contains(arg, StringComparer.Ordinal)),
    };

    /// <summary>The arguments that set configuration: <c>--Section:Key=value</c>.</summary>
    public static string[] ConfigurationArguments(string[] args) => [.. args.Where(IsConfiguration)];

    /// <summary>The arguments the command parses: all but those that set configuration.</summary>
    public static string[] CommandArguments(string[] args) => [.. args.Where(arg => !IsConfiguration(arg))];

    /// <summary>Runs a command with the server's services already made (tests).</summary>
    public static Task<int> InvokeAsync(
        string[] args, IServiceProvider services, TextWriter? output = null, TextWriter? error = null, TextReader? input = null) =>
        InvokeAsync(args, () => services, output, error, input);

    /// <summary>Runs a command; <paramref name="services"/> makes the server's services when a command first needs them.</summary>
    public static async Task<int> InvokeAsync(
        string[] args, Func<IServiceProvider> services, TextWriter? output = null, TextWriter? error = null, TextReader? input = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var context = new CommandContext(services, input ?? Console.In, output, error);
        var root = new RootCommand(
            """
            JwtDevices server: device-bound JWT authentication, wire-compatible with drf-jwt-devices.
            Without a command it serves the API (--urls http://0.0.0.0:5000 to choose where).
            Settings come from appsettings.json, environment variables (JwtDevices__AccessTokenLifetime=00:05:00)
            and arguments (--JwtDevices:AccessTokenLifetime=00:05:00, --ConnectionStrings:Default=...),
            for the server and for every command alike. Times are hh:mm:ss: a bare 30 is 30 days.
            """);
        foreach (var create in s_commands)
        {
            root.Subcommands.Add(create(context));
        }
        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            // One line, as for a bad setting; the usage is a --help away.
            var usage = string.Join(' ', [.. CommandPath(parsed.CommandResult), "--help"]);
            // The first word the parser did not know says more than the errors that follow from it.
            var problem = parsed.UnmatchedTokens is [var unknown, ..]
                ? $"unknown command or argument '{unknown}'"
                : parsed.Errors[0].Message.TrimEnd('.');
            return await ServerFailure.ReportAsync(error, [$"{problem}; see {usage}."]);
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception exception) when (ServerFailure.Problems(exception) is { Count: > 0 } problems)
        {
            return await ServerFailure.ReportAsync(error, problems);
        }
    }

    // "users add", for the hint; the root command (the program) is left out.
    private static IEnumerable<string> CommandPath(CommandResult? command) =>
        command?.Parent is CommandResult parent ? [.. CommandPath(parent), command.Command.Name] : [];

    // --Section:Key=value, and the host's own --contentRoot=DIR and --environment=NAME.
    private static bool IsConfiguration(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is > 2 and var equals
        && (arg.AsSpan(2, equals - 2).Contains(':')
            || s_hostSettings.Contains(arg[2..equals], StringComparer.OrdinalIgnoreCase));

    private static readonly string[] s_hostSettings = [HostDefaults.ContentRootKey, HostDefaults.EnvironmentKey];
}
