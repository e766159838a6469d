using System.CommandLine;
using Microsoft.AspNetCore.Identity;

namespace JwtDevices.Server;

/// <summary>
/// <c>users add NAME (--password-stdin | --password P) [--email E]</c>: adds a user to the configured
/// database. Without either option the password comes from <c>JWTDEVICES_PASSWORD</c>.
/// </summary>
internal static class UsersCommand
{
    /// <summary>The environment variable a password may come from, out of the process list.</summary>
    public const string PasswordVariable = "JWTDEVICES_PASSWORD";

    public static Command Create(IServiceProvider services, TextReader input, TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("name") { Description = "The user name." };
        var password = new Option<string?>("--password")
        {
            Description = $"The password, at least 8 characters. Other users can see it in the process list: prefer --password-stdin or {PasswordVariable}.",
        };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Reads the password from the first line of standard input." };
        var email = new Option<string?>("--email") { Description = "The e-mail address." };
        var add = new Command("add", $"Adds a user. The password comes from --password-stdin, --password or {PasswordVariable}.")
        {
            name, password, passwordStdin, email,
        };
        add.SetAction(async (result, cancellationToken) =>
        {
            var (chosen, problem) = await ChoosePasswordAsync(
                result.GetValue(password), result.GetValue(passwordStdin), input, Environment.GetEnvironmentVariable(PasswordVariable));
            if (problem is not null)
            {
                await error.WriteLineAsync($"error: {problem}");
                return 1;
            }
            return await AddUserAsync(services, result.GetValue(name)!, chosen!, result.GetValue(email), output, error);
        });
        return new Command("users", "Manages users.") { add };
    }

    /// <summary>The password from exactly one source: standard input, the option, or the environment variable.</summary>
    internal static async Task<(string? Password, string? Problem)> ChoosePasswordAsync(
        string? option, bool fromStandardInput, TextReader input, string? variable)
    {
        if (fromStandardInput && option is not null)
        {
            return (null, "give the password once: --password-stdin or --password, not both.");
        }
        var password = fromStandardInput ? await input.ReadLineAsync() : option ?? variable;
        return string.IsNullOrEmpty(password)
            ? (null, $"a password is required: pipe it to --password-stdin, set {PasswordVariable}, or give --password.")
            : (password, null);
    }

    /// <summary>Adds a user; returns 0, or 1 with the reasons written to <paramref name="error"/>.</summary>
    public static async Task<int> AddUserAsync(
        IServiceProvider services, string name, string password, string? email, TextWriter output, TextWriter error)
    {
        await ServerDatabase.MigrateAsync(services);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ServerUser>>();

        var user = new ServerUser { UserName = name, Email = email };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            foreach (var failure in result.Errors)
            {
                await error.WriteLineAsync($"error: {failure.Description}");
            }
            return 1;
        }
        await output.WriteLineAsync($"Added user '{name}' with id {user.Id}.");
        return 0;
    }
}
