using System.Reflection;
using JwtDevices.Server.Admin;
using JwtDevices.Server.Commands;
using JwtDevices.Server.Data;
using JwtDevices.Server.Endpoints;
using JwtDevices.Server.Hosting;
using JwtDevices.Server.Pages;
using JwtDevices.Server.Pages.Dbsc;
using Microsoft.Extensions.Logging.Console;

// "--help", "users ..." and "devices ..." are the command line; anything else serves the API.
if (AdminCommands.Handles(args))
{
    return await AdminCommands.InvokeAsync(AdminCommands.CommandArguments(args), () =>
    {
        var commandBuilder = WebApplication.CreateBuilder(ServerContentRoot.Options(AdminCommands.ConfigurationArguments(args)));
        // A command's standard output is its result alone, for scripts; logs go to standard error.
        commandBuilder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        // What a command did is its output; the framework's routine (migrations, SQL) is not.
        commandBuilder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // A database a command cannot use is its one error line; EF Core's own report of it would only repeat it.
        commandBuilder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database", LogLevel.None);
        // That no key is configured is the server's to say when it starts, not every command's (a refused key file is still an error).
        commandBuilder.Logging.AddFilter(typeof(SigningKeyFile).FullName, LogLevel.Error);
        commandBuilder.Services.AddJwtDevicesServerServices(commandBuilder.Configuration, commandBuilder.Environment);
        return commandBuilder.Build().Services;
    });
}

// Hosted by another program (the tests), the host reports its own failures, as exceptions.
var standalone = Assembly.GetEntryAssembly() == typeof(Program).Assembly;
var builder = WebApplication.CreateBuilder(ServerContentRoot.Options(args));
try
{
    builder.Services.AddJwtDevicesServerServices(builder.Configuration, builder.Environment);
    var app = builder.Build();

    var problems = ServerStartUp.Check(app.Services);
    if (problems.Count > 0 && standalone)
    {
        return await ServerFailure.ReportAsync(Console.Error, problems);
    }
    ServerStartUp.LogLifetimes(app.Services);

    await ServerDatabase.MigrateAsync(app.Services);

    app.UseJwtDevicesServerForwardedHeaders();
    app.UseExceptionHandler();
    app.UseJwtDevicesPermittedHeaders();
    app.UseServerPages();
    app.UseAuthentication();
    app.UseAuthorization();
    app.MapJwtDevices();
    app.MapMe();
    app.MapMyDevices();
    app.MapPasswordChange();
    app.MapServerHealth();
    app.MapPageSession();
    app.MapPageDbsc();
    app.MapAdminDevices();
    app.MapJwtDevicesServerOpenApi();

    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (standalone && ServerFailure.Problems(exception) is { Count: > 0 } problems)
{
    return await ServerFailure.ReportAsync(Console.Error, problems);
}

/// <summary>The server's entry point, public so that tests can host it.</summary>
public partial class Program;
