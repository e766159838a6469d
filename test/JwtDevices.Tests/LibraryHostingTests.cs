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

/// <summary>The library in an application of its own, as docs/getting-started.md shows it: own DbContext, own prefix, string user ids.</summary>
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
    public async Task PasswordChange_ThroughIdentity_EndsTheDeviceAtItsNextRefresh()
    {
        await using var app = await StartAsync(services => services.AddJwtDevicesIdentityUsers<IdentityUser>());
        var client = app.GetTestClient();
        await AddUserAsync(app, "dave");
        using var login = await client.PostAsJsonAsync("/api/auth-token/", new { username = "dave", password = "Pass-word-123" });
        var permanentToken = (await login.ReadJsonAsync()).GetProperty("permanent_token").GetString()!;
        using (var before = await RefreshAsync(client, permanentToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var dave = (await users.FindByNameAsync("dave"))!;
            Assert.True((await users.ChangePasswordAsync(dave, "Pass-word-123", "Another-pass-456")).Succeeded);
        }

        using var after = await RefreshAsync(client, permanentToken);

        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
        Assert.Equal("credentials_changed", (await after.ReadJsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task RateLimits_AreOneCallAway_AndOffWithoutIt()
    {
        await using var limited = await StartAsync(services => services
            .AddJwtDevicesIdentityUsers<IdentityUser>()
            .AddJwtDevicesRateLimits(limits => limits.FailedLoginsPerUserName = 2));
        await AddUserAsync(limited, "erin");
        var client = limited.GetTestClient();

        var statuses = new List<HttpStatusCode>();
        foreach (var password in new[] { "wrong-1", "wrong-2", "Pass-word-123" })
        {
            using var response = await client.PostAsJsonAsync("/api/auth-token/", new { username = "erin", password });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
    }

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string permanentToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/device-refresh-token/");
        request.Headers.Add("Permanent-Token", permanentToken);
        return client.SendAsync(request);
    }

    private static async Task AddUserAsync(WebApplication app, string name)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        Assert.True((await users.CreateAsync(new IdentityUser(name), "Pass-word-123")).Succeeded);
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
        // Not the output folder's appsettings.json, which is the QuickStart sample's.
        builder.Configuration.Sources.Clear();
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
