extern alias QuickStartSample;

using System.Net;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QuickStartSample::QuickStart;

namespace JwtDevices.Tests.Samples;

/// <summary>The library quick start of docs/getting-started.md, which is <c>samples/QuickStart</c>, does what that page says.</summary>
public sealed class QuickStartTests : IDisposable
{
    private readonly QuickStartApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AddedUser_LogsIn_CallsHello_LogsOut_AndIsRefused()
    {
        var added = await _app.AddUserAsync("alice", standardInput: "Correct-Horse-7");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("Added alice.", added.Output, StringComparison.Ordinal);
        var client = _app.CreateClient();

        var login = await client.LoginAsync("alice", "Correct-Horse-7");
        using var hello = await client.SendWithTokenAsync(HttpMethod.Get, "/hello", login.Token, "Bearer");
        using var logout = await client.SendWithTokenAsync(
            HttpMethod.Delete, "/device-logout/", login.Token, "JWT", ("Device-Id", login.DeviceId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var afterLogout = await client.SendWithTokenAsync(HttpMethod.Get, "/hello", login.Token, "Bearer");

        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        Assert.Equal("Hello, alice!", await hello.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
    }

    [Fact]
    public async Task Profile_FindsTheUserWithUserManager_AndAdmin_AdmitsOnlyTheAdminRole()
    {
        var admin = await _app.AddUserAsync("alice", standardInput: "Correct-Horse-7", roles: ["admin"]);
        var plain = await _app.AddUserAsync("bob", standardInput: "Correct-Horse-7");
        Assert.True(admin.ExitCode == 0, admin.ToString());
        Assert.True(plain.ExitCode == 0, plain.ToString());
        var client = _app.CreateClient();
        var alice = await client.LoginAsync("alice", "Correct-Horse-7");
        var bob = await client.LoginAsync("bob", "Correct-Horse-7");

        using var profile = await client.SendWithTokenAsync(HttpMethod.Get, "/profile", alice.Token, "Bearer");
        using var aliceAdmin = await client.SendWithTokenAsync(HttpMethod.Get, "/admin", alice.Token, "Bearer");
        using var bobAdmin = await client.SendWithTokenAsync(HttpMethod.Get, "/admin", bob.Token, "Bearer");

        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        var body = await profile.ReadJsonAsync();
        Assert.Equal("alice", body.GetProperty("userName").GetString());
        Assert.Equal(["admin"], body.GetProperty("roles").EnumerateArray().Select(role => role.GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.OK, aliceAdmin.StatusCode);
        Assert.Equal("Hello, administrator!", await aliceAdmin.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, bobAdmin.StatusCode);
    }

    [Fact]
    public async Task Hello_IsRefused_WithoutAToken()
    {
        var client = _app.CreateClient();

        using var hello = await client.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, hello.StatusCode);
    }

    [Fact]
    public async Task AddUser_TakesThePasswordFromTheEnvironment_AndExplainsIdentitysRules()
    {
        var weak = await _app.AddUserAsync("bob", passwordVariable: "horse");
        var strong = await _app.AddUserAsync("carol", standardInput: "ignored", passwordVariable: "Correct-Horse-7");

        Assert.Equal(1, weak.ExitCode);
        Assert.Contains("Passwords must be at least 6 characters.", weak.Error, StringComparison.Ordinal);
        Assert.Contains("Passwords must have at least one uppercase ('A'-'Z').", weak.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("horse", weak.Output + weak.Error, StringComparison.Ordinal);
        Assert.True(strong.ExitCode == 0, strong.ToString());
        using var login = await _app.CreateClient().PostLoginAsync("carol", "Correct-Horse-7");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Migrations_CoverTheModel()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        Assert.False(db.Database.HasPendingModelChanges(), "The sample's model has changes no migration covers: add one with dotnet ef migrations add.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }
}
