using System.CommandLine;

namespace JwtDevices.Server.Commands;

/// <summary>
/// Where a command's password comes from: <c>--password-stdin</c>, <c>--password</c>, or the
/// <c>JWTDEVICES_PASSWORD</c> environment variable, which keep it out of the process list but the last.
/// </summary>
internal sealed class PasswordSource
{
    /// <summary>The environment variable a password may come from, out of the process list.</summary>
    public const string Variable = "JWTDEVICES_PASSWORD";

    public Option<string?> Password { get; } = new("--password")
    {
        Description = $"The password, at least 8 characters. Other users can see it in the process list: prefer --password-stdin or {Variable}.",
    };

    public Option<bool> FromStandardInput { get; } = new("--password-stdin")
    {
        Description = "Reads the password from the first line of standard input.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Password);
        command.Options.Add(FromStandardInput);
    }

    /// <summary>The password of a parsed command line, or the one-line reason there is none.</summary>
    public Task<(string? Password, string? Problem)> ReadAsync(ParseResult result, TextReader input) =>
        ChooseAsync(result.GetValue(Password), result.GetValue(FromStandardInput), input, Environment.GetEnvironmentVariable(Variable));

    /// <summary>The password from exactly one source: standard input, the option, or the environment variable.</summary>
    internal static async Task<(string? Password, string? Problem)> ChooseAsync(
        string? option, bool fromStandardInput, TextReader input, string? variable)
    {
        if (fromStandardInput && option is not null)
        {
            return (null, "give the password once: --password-stdin or --password, not both.");
        }
        var password = fromStandardInput ? await input.ReadLineAsync() : option ?? variable;
        return string.IsNullOrEmpty(password)
            ? (null, $"a password is required: pipe it to --password-stdin, set {Variable}, or give --password.")
            : (password, null);
    }
}
