using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JwtDevices.Tests.Infrastructure;
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

/// <summary>The library in an application of its own, as the README shows it: own DbContext, own prefix, string user ids.</summary>
public sealed class LibraryHostingTests : IAsyncDisposable
{
    private readonly SqliteConnection _database = new("Data Source=:memory:");

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Endpoints_WorkUnderTheApplicationsPrefix_WithStringUserIds()
    {
        await using var app = await StartAsync(services => services.AddJwtDevicesIdentityUsers<IdentityUser>());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            Assert.True((await users.CreateAsync(new IdentityUser("carol"), "Pass-word-123")).Succeeded);
        }
        var client = app.GetTestClient();

        using var atRoot = await client.PostAsJsonAsync("/auth-token/", new { username = "carol", password = "Pass-word-123" });
        using var login = await client.PostAsJsonAsync("/api/auth-token/", new { username = "carol", password = "Pass-word-123" });

        Assert.Equal(HttpStatusCode.NotFound, atRoot.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.ReadJsonAsync()).GetProperty("token").GetString()!;
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]));
        var userId = payload.RootElement.GetProperty("user_id");
        Assert.Equal(JsonValueKind.String, userId.ValueKind);
        Assert.True(Guid.TryParse(userId.GetString(), out _));

        using var devices = await client.SendWithTokenAsync(HttpMethod.Get, "/api/devices/", token);
        Assert.Equal(HttpStatusCode.OK, devices.StatusCode);
        Assert.Single((await devices.ReadJsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task StartUp_Fails_WithoutACredentialValidator()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = await StartAsync(_ => { });
        });

        Assert.Contains("AddJwtDevicesIdentityUsers", error.Message, StringComparison.Ordinal);
    }

    private async Task<WebApplication> StartAsync(Action<IServiceCollection> addUsers)
    {
        await _database.OpenAsync();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddDbContext<AppDbContext>(o => o.UseSqlite(_database));
        builder.Services.AddIdentityCore<IdentityUser>().AddEntityFrameworkStores<AppDbContext>();
        builder.Services.AddAuthentication(JwtDevicesDefaults.AuthenticationScheme)
            .AddJwtDevices(o => o.SigningKey = ServerFactory.SigningKey);
        builder.Services.AddJwtDevicesEntityFrameworkStore<AppDbContext>();
        addUsers(builder.Services);

        var app = builder.Build();
        app.UseJwtDevicesPermittedHeaders();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapJwtDevices("/api");
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
