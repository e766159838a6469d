using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// The library in a slim application of its own, as the README's quick start has it: Identity's users (and,
/// when asked, roles) and the devices in one in-memory SQLite database, over the test server.
/// </summary>
internal sealed class LibraryApp : IAsyncDisposable
{
    public const string Password = "Pass-word-123";

    private readonly SqliteConnection _database;

    private LibraryApp(SqliteConnection database, WebApplication app) => (_database, App) = (database, app);

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public HttpClient CreateClient() => App.GetTestClient();

    /// <summary>Builds and starts the app; disposes of what it made when start-up fails.</summary>
    /// <param name="addSchemes">Adds the JwtDevices schemes.</param>
    /// <param name="configure">Changes the builder first (configuration, services).</param>
    /// <param name="defaultScheme">The default authentication scheme.</param>
    /// <param name="withRoles">Whether Identity keeps roles (<c>AddRoles&lt;IdentityRole&gt;()</c>).</param>
    /// <param name="mapMore">Maps the test's own endpoints.</param>
    public static async Task<LibraryApp> StartAsync(
        Action<AuthenticationBuilder> addSchemes,
        Action<WebApplicationBuilder>? configure = null,
        string defaultScheme = JwtDevicesDefaults.AuthenticationScheme,
        bool withRoles = false,
        Action<IEndpointRouteBuilder>? mapMore = null)
    {
        var database = new SqliteConnection("Data Source=:memory:");
        await database.OpenAsync();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        // Only the test's own settings: the output folder's appsettings.json is the QuickStart sample's.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        configure?.Invoke(builder);
        builder.Services.AddDbContext<AppDbContext>(o => o.UseSqlite(database));
        var identity = builder.Services.AddIdentityCore<IdentityUser>();
        if (withRoles)
        {
            identity.AddRoles<IdentityRole>();
        }
        identity.AddEntityFrameworkStores<AppDbContext>();
        addSchemes(builder.Services.AddAuthentication(defaultScheme));
        builder.Services.AddJwtDevicesEntityFrameworkStore<AppDbContext>();
        builder.Services.AddJwtDevicesIdentityUsers<IdentityUser>();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapJwtDevices();
        mapMore?.Invoke(app);
        try
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.EnsureCreatedAsync();
            }
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            await database.DisposeAsync();
            throw;
        }
        return new LibraryApp(database, app);
    }

    /// <summary>Adds a user with <see cref="Password"/>, in the given roles; returns the user's id.</summary>
    public async Task<string> AddUserAsync(string name, params string[] roles)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser(name);
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        foreach (var role in roles)
        {
            var roleManager = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            if (!await roleManager.RoleExistsAsync(role))
            {
                Assert.True((await roleManager.CreateAsync(new IdentityRole(role))).Succeeded);
            }
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        }
        return user.Id;
    }

    /// <summary>Logs the user in at <paramref name="path"/>; returns the JWT and the permanent token.</summary>
    public async Task<(string Token, string PermanentToken)> LogInAsync(string name, string path = "/auth-token/")
    {
        using var login = await CreateClient().PostAsJsonAsync(path, new { username = name, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.ReadJsonAsync();
        return (body.GetProperty("token").GetString()!, body.GetProperty("permanent_token").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await _database.DisposeAsync();
    }

    private sealed class AppDbContext(DbContextOptions<AppDbContext> options) : IdentityDbContext<IdentityUser>(options)
    {
        protected override void OnModelCreating(ModelBuilder builder)
        {
            base.OnModelCreating(builder);
            builder.UseJwtDevices();
        }
    }
}
