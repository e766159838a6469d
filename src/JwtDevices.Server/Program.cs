using JwtDevices.Server;
using JwtDevices.Server.Admin;
using JwtDevices.Server.Pages;
using Microsoft.Extensions.Logging.Console;

// "users ..." and "devices ..." are the admin command line; anything else serves the API.
var isCommand = AdminCommands.Handles(args);
var builder = WebApplication.CreateBuilder(isCommand ? AdminCommands.ConfigurationArguments(args) : args);
try
{
    builder.Services.AddJwtDevicesServer(builder.Configuration);
    builder.Services.AddJwtDevicesServerHealthChecks();
    builder.Services.AddJwtDevicesServerRedis(builder.Configuration);
}
catch (ServerConfigurationException exception)
{
    await Console.Error.WriteLineAsync($"error: {exception.Message}");
    return 1;
}
if (isCommand)
{
    // A command's standard output is its result alone, for scripts; logs go to standard error.
    builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
}
var app = builder.Build();

if (isCommand)
{
    return await AdminCommands.InvokeAsync(AdminCommands.CommandArguments(args), app.Services);
}

await ServerDatabase.MigrateAsync(app.Services);

app.UseExceptionHandler();
app.UseJwtDevicesPermittedHeaders();
app.UseServerPages();
app.UseAuthentication();
app.UseAuthorization();
app.MapJwtDevices();
app.MapMe();
app.MapPasswordChange();
app.MapServerHealth();
app.MapPageSession();
app.MapAdminDevices();

await app.RunAsync();
return 0;

/// <summary>The server's entry point, public so that tests can host it.</summary>
public partial class Program;
