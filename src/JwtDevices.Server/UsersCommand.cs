using System.CommandLine;
using Microsoft.AspNetCore.Identity;

namespace JwtDevices.Server;

/// <summary><c>users add NAME --password P [--email E]</c>: adds a user to the configured database.</summary>
internal static class UsersCommand
{
    public static Command Create(IServiceProvider services, TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("name") { Description = "The user name." };
        var password = new Option<string>("--password") { Description = "The password: at least 8 characters.", Required = true };
        var email = new Option<string?>("--email") { Description = "The e-mail address." };
        var add = new Command("add", "Adds a user.") { name, password, email };
        add.SetAction((result, cancellationToken) => AddUserAsync(
            services, result.GetValue(name)!, result.GetValue(password)!, result.GetValue(email), output, error));
        return new Command("users", "Manages users.") { add };
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
