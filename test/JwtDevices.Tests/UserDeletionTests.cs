using System.Globalization;
using System.Net;
using JwtDevices.Devices;
using JwtDevices.Server.Data;
using JwtDevices.Server.Users;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests;

/// <summary>In the server, devices belong to users: deleting a user ends their devices, logged, and refused at once.</summary>
public abstract class UserDeletionTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Fact]
    public async Task DeletingAUser_DeletesTheirDevices_LogsTheRevocations_AndRefusesTheirTokensAtOnce()
    {
        var userId = await server.AddUserAsync("deleted_user");
        await server.AddUserAsync("kept_user");
        var client = server.CreateClient();
        var phone = await client.LoginAsync("deleted_user", deviceModel: "Phone");
        var tablet = await client.LoginAsync("deleted_user", deviceModel: "Tablet");
        var kept = await client.LoginAsync("kept_user");
        using (var before = await client.SendWithTokenAsync(HttpMethod.Get, "/me", phone.Token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ServerUser>>();
            var user = await users.FindByIdAsync(userId.ToString(CultureInfo.InvariantCulture));
            Assert.True((await users.DeleteAsync(user!)).Succeeded);
        }

        foreach (var token in new[] { phone.Token, tablet.Token })
        {
            using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/me", token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using var keptResponse = await client.SendWithTokenAsync(HttpMethod.Get, "/me", kept.Token);
        Assert.Equal(HttpStatusCode.OK, keptResponse.StatusCode);
        Assert.False(await server.DeviceExistsAsync(phone.DeviceId!.Value));
        Assert.False(await server.DeviceExistsAsync(tablet.DeviceId!.Value));
        Assert.True(await server.DeviceExistsAsync(kept.DeviceId!.Value));
        var logged = await server.WithDatabaseAsync(db => db.Set<DeviceRevocation>()
            .Where(r => r.DeviceId == phone.DeviceId || r.DeviceId == tablet.DeviceId)
            .Select(r => new { r.DeviceId, r.Reason })
            .ToListAsync());
        Assert.Equal(
            [(phone.DeviceId.Value, DeviceRevocationReason.UserDeleted), (tablet.DeviceId.Value, DeviceRevocationReason.UserDeleted)],
            logged.Select(r => (r.DeviceId, r.Reason)).Order());
        using var refresh = await client.RefreshAsync(phone.PermanentToken);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
    }

    [Fact]
    public async Task DeletingAUsersRow_CascadesToTheirDevices()
    {
        // The foreign key is the safety net for deletions that go around Identity.
        var userId = await server.AddUserAsync("cascaded_user");
        var login = await server.CreateClient().LoginAsync("cascaded_user");

        var deleted = await server.WithDatabaseAsync(db => db.Database.ExecuteSqlAsync($"""DELETE FROM "AspNetUsers" WHERE "Id" = {userId}"""));

        Assert.Equal(1, deleted);
        Assert.False(await server.DeviceExistsAsync(login.DeviceId!.Value));
    }

    [Fact]
    public async Task Devices_RecordTheirOwner_AsTheUsersKey()
    {
        var userId = await server.AddUserAsync("owner_user");
        var login = await server.CreateClient().LoginAsync("owner_user");

        var owner = await server.WithDatabaseAsync(db => db.Set<Device>()
            .Where(d => d.Id == login.DeviceId)
            .Select(d => EF.Property<long>(d, ServerDbContext.DeviceOwnerId))
            .SingleAsync());

        Assert.Equal(userId, owner);
    }
}

public sealed class UserDeletionOnSqlite(SqliteServer server) : UserDeletionTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class UserDeletionOnPostgres(PostgresServer server) : UserDeletionTests<PostgresServer>(server);
