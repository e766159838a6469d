using JwtDevices.Server;

// "users ..." is the admin command line; anything else serves the API.
var isCommand = UsersCommand.Handles(args);
var builder = WebApplication.CreateBuilder(isCommand ? [] : args);
builder.Services.AddJwtDevicesServer();
builder.Services.AddJwtDevicesServerHealthChecks();
builder.Services.AddJwtDevicesServerRedis(builder.Configuration);
var app = builder.Build();

if (isCommand)
{
    return await UsersCommand.InvokeAsync(args, app.Services);
}

await ServerDatabase.MigrateAsync(app.Services);

app.UseExceptionHandler();
app.UseJwtDevicesPermittedHeaders();
app.UseAuthentication();
app.UseAuthorization();
app.MapJwtDevices();
app.MapMe();
app.MapServerHealth();

await app.RunAsync();
return 0;

/// <summary>The server's entry point, public so that tests can host it.</summary>
public partial class Program;
