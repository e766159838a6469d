using System.Net;
using System.Text.Json;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Pages;

/// <summary>The admin JSON endpoints: every device with its user, search, last-seen range, paging, revoke; 403 to non-admins.</summary>
public abstract class AdminDevicesTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Fact]
    public async Task NonAdmin_Is403_OnTheListAndOnRevoke_AndNothingIsRevoked()
    {
        await server.AddUserAsync("admin_refused");
        var client = server.CreateClient();
        var login = await client.LoginAsync("admin_refused");

        using var list = await client.SendWithTokenAsync(HttpMethod.Get, "/admin/devices/", login.Token);
        using var revoke = await client.SendWithTokenAsync(HttpMethod.Delete, $"/admin/devices/{login.DeviceId}/", login.Token);

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal("forbidden", (await list.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
    }

    [Fact]
    public async Task Anonymous_Is401()
    {
        var client = server.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/admin/devices/", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Delete, "/admin/devices/1/", null));
    }

    [Fact]
    public async Task Admin_SeesEveryDeviceWithItsUser()
    {
        var admin = await AdminAsync("admin_sees_all");
        await server.AddUserAsync("admin_sees_bob", email: "bob@sees.example");
        var bob = await server.CreateClient().LoginAsync("admin_sees_bob", deviceModel: "Bob's phone", userAgent: "bob-agent");

        var devices = await ListAsync(admin, "search=admin_sees_bob");

        var device = Assert.Single(devices.GetProperty("devices").EnumerateArray());
        Assert.Equal(["created", "details", "email", "id", "key_binding", "key_bound", "last_request_datetime", "name", "user_id", "username"], device.Keys());
        Assert.Equal(bob.DeviceId, device.GetProperty("id").GetInt64());
        Assert.Equal("admin_sees_bob", device.GetProperty("username").GetString());
        Assert.Equal("bob@sees.example", device.GetProperty("email").GetString());
        Assert.Equal("Bob's phone", device.GetProperty("name").GetString());
        Assert.Equal("bob-agent", device.GetProperty("details").GetString());
        Assert.Equal(1, devices.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("SEARCH_CAROL")]          // user name, any case
    [InlineData("carol@Search.example")]  // e-mail
    [InlineData("kitchen tab")]           // device name
    [InlineData("carol-agent/1")]         // details
    public async Task Search_MatchesUserNameEmailDeviceNameAndDetails(string term)
    {
        var admin = await AdminAsync($"admin_search_{Math.Abs(term.GetHashCode(StringComparison.Ordinal))}");
        if (await ListAsync(admin, "search=search_carol") is var existing && existing.GetProperty("total").GetInt32() == 0)
        {
            await server.AddUserAsync("search_carol", email: "carol@search.example");
            await server.CreateClient().LoginAsync("search_carol", deviceModel: "Kitchen tablet", userAgent: "carol-agent/1.0");
            await server.AddUserAsync("search_dave", email: "dave@elsewhere.example");
            await server.CreateClient().LoginAsync("search_dave", deviceModel: "Garage", userAgent: "dave-agent");
        }

        var found = await ListAsync(admin, $"search={Uri.EscapeDataString(term)}");

        var device = Assert.Single(found.GetProperty("devices").EnumerateArray());
        Assert.Equal("search_carol", device.GetProperty("username").GetString());
    }

    [Fact]
    public async Task Pages_HoldTwentyDevices_NewestSeenFirst()
    {
        var admin = await AdminAsync("admin_pages");
        await server.AddUserAsync("paged_user");
        var client = server.CreateClient();
        for (var i = 0; i < 25; i++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            await client.LoginAsync("paged_user", deviceModel: $"paged-{i:00}");
        }

        var first = await ListAsync(admin, "search=paged_user");
        var second = await ListAsync(admin, "search=paged_user&page=2");
        var beyond = await ListAsync(admin, "search=paged_user&page=3");

        Assert.Equal(25, first.GetProperty("total").GetInt32());
        Assert.Equal(20, first.GetProperty("page_size").GetInt32());
        var names = first.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()).ToList();
        Assert.Equal(20, names.Count);
        Assert.Equal("paged-24", names[0]);
        Assert.Equal(["paged-04", "paged-03", "paged-02", "paged-01", "paged-00"],
            second.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        Assert.Empty(beyond.GetProperty("devices").EnumerateArray());
    }

    [Fact]
    public async Task TheLastPageWhoseOffsetFits_IsAnEmptyPage()
    {
        var admin = await AdminAsync("admin_last_page");

        var page = await ListAsync(admin, "page=107374182");

        Assert.Equal(107374182, page.GetProperty("page").GetInt32());
        Assert.Empty(page.GetProperty("devices").EnumerateArray());
    }

    [Fact]
    public async Task LastSeenRange_TakesWholeDays()
    {
        await server.AddUserAsync("range_user");
        var client = server.CreateClient();
        var start = server.Time.GetUtcNow();
        await client.LoginAsync("range_user", deviceModel: "range-old");
        server.Time.Advance(TimeSpan.FromDays(3));
        await client.LoginAsync("range_user", deviceModel: "range-new");
        var oldDay = start.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var newDay = start.UtcDateTime.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var admin = await AdminAsync("admin_range");

        var onlyOld = await ListAsync(admin, $"search=range_user&seen_to={oldDay}");
        var onlyNew = await ListAsync(admin, $"search=range_user&seen_from={newDay}");
        var both = await ListAsync(admin, $"search=range_user&seen_from={oldDay}&seen_to={newDay}");

        Assert.Equal(["range-old"], Names(onlyOld));
        Assert.Equal(["range-new"], Names(onlyNew));
        Assert.Equal(["range-new", "range-old"], Names(both));
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("page=2147483647", "page")] // its offset overflowed: SQLite answered the first page, PostgreSQL 503
    [InlineData("page=107374183", "page")]  // the first page whose offset a 32-bit number cannot hold
    [InlineData("seen_from=yesterday", "seen_from")]
    [InlineData("seen_to=2026-13-01", "seen_to")]
    public async Task BadQuery_Is400NamingTheParameter(string query, string parameter)
    {
        var admin = await AdminAsync($"admin_bad_{Math.Abs(query.GetHashCode(StringComparison.Ordinal))}");

        using var response = await server.CreateClient().SendWithTokenAsync(HttpMethod.Get, $"/admin/devices/?{query}", admin);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("invalid_query", body.GetProperty("code").GetString());
        Assert.True(body.GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task Revoke_EndsAnyUsersDevice_AtOnce()
    {
        var admin = await AdminAsync("admin_revokes");
        await server.AddUserAsync("revoked_user");
        var client = server.CreateClient();
        var victim = await client.LoginAsync("revoked_user");
        var other = await client.LoginAsync("revoked_user");

        using var response = await client.SendWithTokenAsync(HttpMethod.Delete, $"/admin/devices/{victim.DeviceId}/", admin);
        using var again = await client.SendWithTokenAsync(HttpMethod.Delete, $"/admin/devices/{victim.DeviceId}/", admin);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", victim.Token));
        using var refresh = await client.RefreshAsync(victim.PermanentToken);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", other.Token));
    }

    [Fact]
    public async Task Admin_WhoseRoleIsTaken_IsRefusedAtOnce()
    {
        var admin = await AdminAsync("admin_demoted");
        Assert.Equal(HttpStatusCode.OK, await server.CreateClient().StatusOfAsync(HttpMethod.Get, "/admin/devices/", admin));
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Server.Users.ServerUser>>();
            var user = await users.FindByNameAsync("admin_demoted");
            Assert.True((await users.RemoveFromRoleAsync(user!, Server.Users.ServerRoles.Admin)).Succeeded);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await server.CreateClient().StatusOfAsync(HttpMethod.Get, "/admin/devices/", admin));
    }

    [Fact]
    public async Task Admin_WhoIsLockedOut_IsRefusedAtOnce_EvenWithALiveToken()
    {
        var admin = await AdminAsync("admin_locked");
        await using (var scope = server.Services.CreateAsyncScope())
        {
            // Locked through Identity alone, as an application may do: the admin's JWT is still alive.
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Server.Users.ServerUser>>();
            var user = await users.FindByNameAsync("admin_locked");
            Assert.True((await users.SetLockoutEnabledAsync(user!, true)).Succeeded);
            Assert.True((await users.SetLockoutEndDateAsync(user!, DateTimeOffset.MaxValue)).Succeeded);
        }

        Assert.Equal(HttpStatusCode.OK, await server.CreateClient().StatusOfAsync(HttpMethod.Get, "/me", admin));
        Assert.Equal(HttpStatusCode.Forbidden, await server.CreateClient().StatusOfAsync(HttpMethod.Get, "/admin/devices/", admin));
        Assert.Equal(HttpStatusCode.Forbidden, await server.CreateClient().StatusOfAsync(HttpMethod.Delete, "/admin/devices/1/", admin));
    }

    private async Task<string> AdminAsync(string name)
    {
        await server.AddUserAsync(name);
        await server.MakeAdminAsync(name);
        return (await server.CreateClient().LoginAsync(name)).Token;
    }

    private async Task<JsonElement> ListAsync(string adminToken, string query)
    {
        using var response = await server.CreateClient().SendWithTokenAsync(HttpMethod.Get, $"/admin/devices/?{query}", adminToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static string[] Names(JsonElement page) =>
        page.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()!).ToArray();
}

public sealed class AdminDevicesOnSqlite(SqliteServer server) : AdminDevicesTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class AdminDevicesOnPostgres(PostgresServer server) : AdminDevicesTests<PostgresServer>(server);
