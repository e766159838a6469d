using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests;

/// <summary>The settings as the scheme's named options: scheme names, configuration binding and a second scheme.</summary>
public sealed class SchemeOptionsTests : IAsyncDisposable
{
    private const string Password = "Pass-word-123";
    private readonly SqliteConnection _database = new("Data Source=:memory:");

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Settings_AreTheSchemesNamedOptions_BoundFromTheJwtDevicesSection()
    {
        await using var app = await StartAsync(
            builder => builder.Configuration["JwtDevices:AccessTokenLifetime"] = "00:02:00",
            authentication => authentication.AddJwtDevices(options => options.SigningKey = ServerFactory.SigningKey));

        var named = app.Services.GetRequiredService<IOptionsMonitor<JwtDevicesOptions>>().Get(JwtDevicesDefaults.AuthenticationScheme);
        var token = await LogInAsync(app, "/auth-token/");

        Assert.Equal(TimeSpan.FromMinutes(2), named.AccessTokenLifetime);
        Assert.Same(named, app.Services.GetRequiredService<IOptions<JwtDevicesOptions>>().Value);
        // Code that reads the unnamed options sees the settings in use, not unbound defaults.
        var unnamed = app.Services.GetRequiredService<IOptionsMonitor<JwtDevicesOptions>>().CurrentValue;
        Assert.Equal((TimeSpan.FromMinutes(2), ServerFactory.SigningKey), (unnamed.AccessTokenLifetime, unnamed.SigningKey));
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]));
        Assert.Equal(120, payload.RootElement.GetProperty("exp").GetInt64() - payload.RootElement.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task ASchemeOfAnotherName_ProtectsTheEndpoints()
    {
        await using var app = await StartAsync(
            _ => { },
            authentication => authentication.AddJwtDevices("Devices", options => options.SigningKey = ServerFactory.SigningKey),
            defaultScheme: "Devices");
        var token = await LogInAsync(app, "/auth-token/");
        var client = app.GetTestClient();

        using var devices = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", token);
        using var anonymous = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", null);

        Assert.Equal(HttpStatusCode.OK, devices.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(ServerFactory.SigningKey, app.Services.GetRequiredService<IOptionsMonitor<JwtDevicesOptions>>().Get("Devices").SigningKey);
    }

    [Fact]
    public async Task ASecondScheme_SharesTheSettings_AndHasItsOwnEvents()
    {
        await using var app = await StartAsync(
            _ => { },
            authentication => authentication
                .AddJwtDevices(options => options.SigningKey = ServerFactory.SigningKey)
                .AddJwtDevices("Hub", options => options.Events.OnMessageReceived = context =>
                {
                    context.Token = context.Request.Query["access_token"];
                    return Task.CompletedTask;
                }),
            mapMore: endpoints => endpoints.MapGet("/hub", () => "hub")
                .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "Hub" }));
        var token = await LogInAsync(app, "/auth-token/");
        var client = app.GetTestClient();

        using var hub = await client.GetAsync(new Uri($"/hub?access_token={token}", UriKind.Relative));
        using var devices = await client.GetAsync(new Uri($"/devices/?access_token={token}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, hub.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, devices.StatusCode);
        var monitor = app.Services.GetRequiredService<IOptionsMonitor<JwtDevicesOptions>>();
        var (first, second) = (monitor.Get(JwtDevicesDefaults.AuthenticationScheme), monitor.Get("Hub"));
        Assert.Equal(ServerFactory.SigningKey, second.SigningKey);
        Assert.NotSame(first.Events, second.Events);
        // Lists are copied: post-configuring one scheme cannot change the other's.
        Assert.NotSame(first.SigningKeys, second.SigningKeys);
    }

    [Fact]
    public async Task ASecondScheme_ThatChangesASharedSetting_StopsStartUp()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = await StartAsync(
                _ => { },
                authentication => authentication
                    .AddJwtDevices(options => options.SigningKey = ServerFactory.SigningKey)
                    .AddJwtDevices("Hub", options => options.AccessTokenLifetime = TimeSpan.FromHours(1)));
        });

        Assert.Contains("'Hub' changes AccessTokenLifetime", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> LogInAsync(WebApplication app, string path)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            Assert.True((await users.CreateAsync(new IdentityUser("dave"), Password)).Succeeded);
        }
        using var login = await app.GetTestClient().PostAsJsonAsync(path, new { username = "dave", password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return (await login.ReadJsonAsync()).GetProperty("token").GetString()!;
    }

    private async Task<WebApplication> StartAsync(
        Action<WebApplicationBuilder> configure,
        Action<Microsoft.AspNetCore.Authentication.AuthenticationBuilder> addSchemes,
        string defaultScheme = JwtDevicesDefaults.AuthenticationScheme,
        Action<IEndpointRouteBuilder>? mapMore = null)
    {
        await _database.OpenAsync();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        configure(builder);
        builder.Services.AddDbContext<AppDbContext>(o => o.UseSqlite(_database));
        builder.Services.AddIdentityCore<IdentityUser>().AddEntityFrameworkStores<AppDbContext>();
        addSchemes(builder.Services.AddAuthentication(defaultScheme));
        builder.Services.AddJwtDevicesEntityFrameworkStore<AppDbContext>();
        builder.Services.AddJwtDevicesIdentityUsers<IdentityUser>();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapJwtDevices();
        mapMore?.Invoke(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.EnsureCreatedAsync();
        }
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
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
