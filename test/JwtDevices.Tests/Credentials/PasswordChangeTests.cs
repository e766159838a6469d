using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using JwtDevices.Devices;
using JwtDevices.Endpoints;
using JwtDevices.Server.Users;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Credentials;

/// <summary>
/// A password change or reset ends the devices the old password let in, at once (their JWTs too), and a
/// refresh after the security stamp moved is refused however the stamp moved.
/// </summary>
public abstract class PasswordChangeTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    private const string NewPassword = "a brand new password";

    [Fact]
    public async Task OwnChange_Is204_EndsTheOtherDevices_AndKeepsTheOneItWasMadeOn()
    {
        await server.AddUserAsync("change_own");
        var client = server.CreateClient();
        var here = await client.LoginAsync("change_own");
        var stolen = await client.LoginAsync("change_own", deviceModel: "Stolen phone");

        using var change = await ChangeAsync(client, here.Token, "password123", NewPassword);

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        // The other device's JWT dies at once, and its permanent token with it.
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", stolen.Token));
        using (var refresh = await client.RefreshAsync(stolen.PermanentToken))
        {
            await ProblemAssert.IsProblemAsync(refresh, HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidPermanentToken);
        }
        // This device stays signed in and keeps refreshing.
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", here.Token));
        using (var refresh = await client.RefreshAsync(here.PermanentToken))
        {
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }
        var devices = await server.WithDatabaseAsync(db => db.Set<Device>().Where(d => d.UserId == UserIdOf(here)).Select(d => d.Id).ToListAsync());
        Assert.Equal([here.DeviceId!.Value], devices);
        var reason = await server.WithDatabaseAsync(db => db.Set<DeviceRevocation>().Where(r => r.DeviceId == stolen.DeviceId).Select(r => r.Reason).SingleAsync());
        Assert.Equal(DeviceRevocationReason.CredentialsChanged, reason);
        // The old password is gone, the new one works.
        using (var old = await client.PostLoginAsync("change_own", "password123"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        }
        await client.LoginAsync("change_own", NewPassword);
    }

    [Fact]
    public async Task OwnChange_WithTheWrongOldPassword_Is400_AndEndsNothing()
    {
        await server.AddUserAsync("change_wrong_old");
        var client = server.CreateClient();
        var here = await client.LoginAsync("change_wrong_old");
        var other = await client.LoginAsync("change_wrong_old");

        using var change = await ChangeAsync(client, here.Token, "not-the-password", NewPassword);

        var body = await ProblemAssert.IsProblemAsync(change, HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidPassword);
        ProblemAssert.HasErrorsFor(body, "old_password");
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", other.Token));
        await client.LoginAsync("change_wrong_old");
    }

    [Fact]
    public async Task OwnChange_ToAPasswordTheRulesReject_Is400_AndKeepsTheOldOne()
    {
        await server.AddUserAsync("change_rejected");
        var client = server.CreateClient();
        var here = await client.LoginAsync("change_rejected");
        var other = await client.LoginAsync("change_rejected");

        using var change = await ChangeAsync(client, here.Token, "password123", "short");

        var body = await ProblemAssert.IsProblemAsync(change, HttpStatusCode.BadRequest, JwtDevicesErrors.PasswordRejected);
        ProblemAssert.HasErrorsFor(body, "new_password");
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", other.Token));
        await client.LoginAsync("change_rejected");
    }

    [Fact]
    public async Task OwnChange_WithMissingFields_NamesThem()
    {
        await server.AddUserAsync("change_missing");
        var client = server.CreateClient();
        var here = await client.LoginAsync("change_missing");

        using var change = await ChangeAsync(client, here.Token, null, null);

        var body = await ProblemAssert.IsProblemAsync(change, HttpStatusCode.BadRequest, JwtDevicesErrors.Required);
        ProblemAssert.HasErrorsFor(body, "old_password", "new_password");
    }

    [Theory]
    [InlineData("application/json; charset=")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/json; charset=foo")]
    [InlineData("text/plain")]
    public async Task OwnChange_WithABodyThatIsNotUtf8Json_Is415(string contentType)
    {
        await server.EnsureUserAsync("change_media_type");
        var client = server.CreateClient();
        var here = await client.LoginAsync("change_media_type");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/password/")
        {
            Content = new StringContent("{\"old_password\":\"password123\",\"new_password\":\"whatever-else\"}"),
        };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("JWT", here.Token);

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, JwtDevicesErrors.UnsupportedMediaType);
    }

    [Fact]
    public async Task OwnChange_WithoutAToken_Is401()
    {
        await server.AddUserAsync("change_anonymous");
        var client = server.CreateClient();

        using var change = await ChangeAsync(client, null, "password123", NewPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, change.StatusCode);
        await client.LoginAsync("change_anonymous");
    }

    [Fact]
    public async Task AdministratorsReset_EndsEveryDevice_AtOnce()
    {
        await server.AddUserAsync("change_reset");
        var client = server.CreateClient();
        var first = await client.LoginAsync("change_reset");
        var second = await client.LoginAsync("change_reset");

        var result = await WithUserAsync("change_reset", (changes, user) => changes.ResetPasswordAsync(user, NewPassword, CancellationToken.None));

        Assert.True(result.Outcome.Succeeded);
        Assert.Equal(2, result.DevicesEnded);
        foreach (var login in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
            using var refresh = await client.RefreshAsync(login.PermanentToken);
            await ProblemAssert.IsProblemAsync(refresh, HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidPermanentToken);
        }
        await client.LoginAsync("change_reset", NewPassword);
    }

    [Fact]
    public async Task AdministratorsReset_ToAPasswordTheRulesReject_ChangesNothing()
    {
        await server.AddUserAsync("change_reset_rejected");
        var client = server.CreateClient();
        var login = await client.LoginAsync("change_reset_rejected");

        var result = await WithUserAsync("change_reset_rejected", (changes, user) => changes.ResetPasswordAsync(user, "short", CancellationToken.None));

        Assert.False(result.Outcome.Succeeded);
        Assert.Equal(0, result.DevicesEnded);
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
        await client.LoginAsync("change_reset_rejected");
    }

    [Fact]
    public async Task StampChangedElsewhere_RefreshIsRefused_AndTheDeviceEnds()
    {
        // Another application on the same Identity database changed the password: nothing revoked the device,
        // so its refresh must notice.
        await server.AddUserAsync("change_elsewhere");
        var client = server.CreateClient();
        var login = await client.LoginAsync("change_elsewhere");
        await WithUserAsync("change_elsewhere", async (_, user, users) => await users.UpdateSecurityStampAsync(user));

        using (var refresh = await client.RefreshAsync(login.PermanentToken))
        {
            await ProblemAssert.IsProblemAsync(refresh, HttpStatusCode.BadRequest, JwtDevicesErrors.CredentialsChanged);
        }

        Assert.False(await server.DeviceExistsAsync(login.DeviceId!.Value));
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
        using (var again = await client.RefreshAsync(login.PermanentToken))
        {
            await ProblemAssert.IsProblemAsync(again, HttpStatusCode.BadRequest, JwtDevicesErrors.InvalidPermanentToken);
        }
        var reason = await server.WithDatabaseAsync(db => db.Set<DeviceRevocation>().Where(r => r.DeviceId == login.DeviceId).Select(r => r.Reason).SingleAsync());
        Assert.Equal(DeviceRevocationReason.CredentialsChanged, reason);
    }

    [Fact]
    public async Task UnchangedStamp_RefreshesAsBefore()
    {
        // The control of the test above: the same steps without the stamp change.
        await server.AddUserAsync("change_nothing");
        var client = server.CreateClient();
        var login = await client.LoginAsync("change_nothing");

        using var refresh = await client.RefreshAsync(login.PermanentToken);

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task Device_KeepsAHashOfTheStamp_NeverTheStamp()
    {
        await server.AddUserAsync("change_stored");
        var login = await server.CreateClient().LoginAsync("change_stored");
        var stamp = await WithUserAsync("change_stored", (_, user, users) => users.GetSecurityStampAsync(user));

        var stored = await server.WithDatabaseAsync(db => db.Set<Device>().Where(d => d.Id == login.DeviceId).Select(d => d.SecurityStampHash).SingleAsync());

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(stamp)), stored);
        Assert.DoesNotContain(stamp, Encoding.UTF8.GetString(stored!), StringComparison.Ordinal);
    }

    private static string UserIdOf(ApiClient.Login login) =>
        HandMadeJwt.Payload(login.Token)["user_id"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture);

    private static Task<HttpResponseMessage> ChangeAsync(HttpClient client, string? token, string? oldPassword, string? newPassword)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/password/")
        {
            Content = JsonContent.Create(new { old_password = oldPassword, new_password = newPassword }),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("JWT", token);
        }
        return client.SendAsync(request);
    }

    private Task<T> WithUserAsync<T>(string name, Func<UserCredentialChanges, ServerUser, Task<T>> action) =>
        WithUserAsync(name, (changes, user, _) => action(changes, user));

    private async Task<T> WithUserAsync<T>(string name, Func<UserCredentialChanges, ServerUser, UserManager<ServerUser>, Task<T>> action)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ServerUser>>();
        var user = (await users.FindByNameAsync(name))!;
        return await action(scope.ServiceProvider.GetRequiredService<UserCredentialChanges>(), user, users);
    }
}

public sealed class PasswordChangeOnSqlite(SqliteServer server) : PasswordChangeTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class PasswordChangeOnPostgres(PostgresServer server) : PasswordChangeTests<PostgresServer>(server);
