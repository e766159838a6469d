using JwtDevices.Server.Data;
using JwtDevices.Server.Hosting;
using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Identity;

namespace JwtDevices.Server.Commands;

/// <summary>
/// What an admin command works with: the server's services, made on first use (so that <c>--help</c>
/// needs no database and no valid settings), and its standard streams.
/// </summary>
internal sealed class CommandContext(Func<IServiceProvider> services, TextReader input, TextWriter output, TextWriter error) : IServiceProvider
{
    private readonly Lazy<IServiceProvider> _services = new(services);

    public IServiceProvider Services => _services.Value;

    public TextReader Input { get; } = input;

    /// <summary>The server's services, made on first use: for commands that take an <see cref="IServiceProvider"/>.</summary>
    public object? GetService(Type serviceType) => Services.GetService(serviceType);

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Writes <c>error: reason</c>, one line, and returns the exit code 1.</summary>
    public Task<int> FailAsync(string reason) => ServerFailure.ReportAsync(Error, [reason]);

    /// <summary>
    /// Runs a command's work in a scope of the server's services, with the database up to date; settings
    /// the server cannot start with, and a database it cannot use, end it with one line each and exit code 1,
    /// as they end the server.
    /// </summary>
    public async Task<int> RunAsync(Func<IServiceProvider, Task<int>> work, CancellationToken cancellationToken)
    {
        try
        {
            var problems = ServerStartUp.Check(Services);
            if (problems.Count > 0)
            {
                return await ServerFailure.ReportAsync(Error, problems);
            }
            await ServerDatabase.MigrateAsync(Services, cancellationToken);
            await using var scope = Services.CreateAsyncScope();
            return await work(scope.ServiceProvider);
        }
        catch (Exception exception) when (ServerFailure.Problems(exception) is { Count: > 0 } problems)
        {
            return await ServerFailure.ReportAsync(Error, problems);
        }
    }

    /// <summary>Finds a user by name, or writes that there is none.</summary>
    public async Task<ServerUser?> FindUserAsync(UserManager<ServerUser> users, string name)
    {
        var user = await users.FindByNameAsync(name);
        if (user is null)
        {
            await FailAsync($"no user is named '{name}'.");
        }
        return user;
    }
}
