using System.Security.Claims;
using JwtDevices;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using QuickStart;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddDbContext<AppDbContext>(options =>
    options.UseSqlite(builder.Configuration.GetConnectionString("Default")));
// Identity's default password rules apply: at least 6 characters, with an upper-case letter,
// a lower-case letter, a digit and a symbol. Change them here: AddIdentityCore<IdentityUser>(o => ...).
builder.Services.AddIdentityCore<IdentityUser>()
    .AddRoles<IdentityRole>()                                       // roles, before the stores
    .AddEntityFrameworkStores<AppDbContext>();

builder.Services.AddAuthentication(JwtDevicesDefaults.AuthenticationScheme)
    .AddJwtDevices();                                               // settings from the "JwtDevices" section
builder.Services.AddJwtDevicesEntityFrameworkStore<AppDbContext>(); // devices in your DbContext
builder.Services.AddJwtDevicesIdentityUsers<IdentityUser>();        // log-in checks passwords with UserManager

var app = builder.Build();

// Creates the database, or brings it up to date, from the migrations in Migrations/.
await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.MigrateAsync();
}

// dotnet run -- add-user NAME [ROLE...]: the password comes from the environment variable
// QUICKSTART_PASSWORD, or else from the first line of standard input.
if (args is ["add-user", var name, .. var roles])
{
    var password = Environment.GetEnvironmentVariable("QUICKSTART_PASSWORD") ?? Console.ReadLine() ?? "";
    await using var scope = app.Services.CreateAsyncScope();
    var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
    var roleManager = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
    var user = new IdentityUser(name);
    var result = await users.CreateAsync(user, password);
    foreach (var role in result.Succeeded ? roles : [])
    {
        if (!await roleManager.RoleExistsAsync(role))
        {
            await roleManager.CreateAsync(new IdentityRole(role));
        }
        result = await users.AddToRoleAsync(user, role);
    }
    foreach (var error in result.Errors)
    {
        Console.Error.WriteLine(error.Description);
    }
    Console.WriteLine(result.Succeeded ? $"Added {name}." : "No user added.");
    return result.Succeeded ? 0 : 1;
}

app.UseJwtDevicesPermittedHeaders(); // refuses a Permanent-Token header anywhere but the refresh endpoint
app.UseAuthentication();
app.UseAuthorization();

app.MapJwtDevices(); // POST /auth-token/, POST /device-refresh-token/, DELETE /device-logout/, /devices/
app.MapGet("/hello", (ClaimsPrincipal user) => $"Hello, {user.Identity!.Name}!").RequireAuthorization();
// Identity finds the signed-in user: the token's user_id is the principal's NameIdentifier.
app.MapGet("/profile", async (ClaimsPrincipal principal, UserManager<IdentityUser> users) =>
    await users.GetUserAsync(principal) is { } user
        ? Results.Ok(new { user.Id, user.UserName, Roles = await users.GetRolesAsync(user) })
        : Results.NotFound()).RequireAuthorization();
// The token's roles ("IncludeRoles": true in appsettings.json) make role checks work without a database read.
app.MapGet("/admin", () => "Hello, administrator!").RequireAuthorization(policy => policy.RequireRole("admin"));

await app.RunAsync();
return 0;
