using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using JwtDevices.Devices;
using JwtDevices.Server.Commands;
using JwtDevices.Server.Data;
using JwtDevices.Server.Django;
using JwtDevices.Server.Users;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;

namespace JwtDevices.Tests;

/// <summary>
/// <c>import-django</c> on a drf-jwt-devices database built from the SQL fixture (hashes made by Django
/// itself), then the imported users and devices over HTTP: Django passwords log in and are upgraded, Django
/// permanent tokens refresh, devices keep their names and times. Each test has its own server and source.
/// </summary>
public abstract class DjangoImportTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    // The fixture's clock: device 3 was last seen ten minutes ago, device 4 twenty days ago.
    private static readonly DateTimeOffset Now = new(2099, 3, 2, 11, 20, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, (long Id, string Password)> Passwords = new()
    {
        ["alice"] = (1, "correct horse battery"),     // pbkdf2_sha256, 36000 iterations (Django 1.11)
        ["bob"] = (2, "bob's old password"),          // pbkdf2_sha1
        ["carol"] = (3, "lètmein ünïcode"),           // argon2id
        ["dave"] = (4, "dave's bcrypt secret"),       // bcrypt_sha256
        ["henry"] = (9, "henry's password"),          // pbkdf2_sha256, Django 3.2's default
        ["vector"] = (12, "lètmein"),                 // Django's published PBKDF2 test vector
    };

    private readonly ServerFactory _server = new TServer().WithSettings(("JwtDevices:CleanupInterval", "30.00:00:00"));
    private readonly DjangoDatabase _django;

    private protected DjangoImportTests(DatabaseProvider source)
    {
        _django = new DjangoDatabase(source);
        // Before the server starts, so its timers start at the fixture's time.
        _server.Time.SetUtcNow(Now);
    }

    public void Dispose()
    {
        _server.Dispose();
        _django.Dispose();
    }

    [Fact]
    public async Task Import_PrintsWhatItImported_AndEachSkippedRowWithItsReason()
    {
        var (exitCode, output, error) = await ImportAsync();

        Assert.True(exitCode == 0, error);
        Assert.Equal(string.Empty, error);
        Assert.Equal(
        [
            "note: user 7 'gina' has a password hashed with 'md5', which the server does not verify: a password reset is needed to log in, while the user's devices keep working.",
            "skipped user 8 'Alice': user 1 has the same name here, where user names ignore case.",
            "skipped device 16 of user 8: its user was skipped.",
            "Imported 9 users (1 admin, 1 inactive) and 8 devices; already imported: 0 users and 0 devices; skipped: 1 user and 1 device.",
        ], Lines(output));
    }

    [Fact]
    public async Task UsersWhoseHashesAskForMoreThanTheBounds_AreSkippedWithTheReason()
    {
        // As one unauthenticated log-in each, these took 30 seconds and more (argon2: half a gigabyte too).
        _django.Execute("UPDATE auth_user SET password = 'pbkdf2_sha256$40000000$seasalt$OAXyhAQ/4ZDA9V5RMExt3C1OwQdUpLZ99vm1McFlLRA=' WHERE id = 2");
        _django.Execute("UPDATE auth_user SET password = 'argon2$argon2id$v=19$m=1048576,t=2,p=2$SFBFbEM2MUZ2bFJsY3hVNDFQZ3JDcQ$QcXdGHPpHsU2TVUjq1wY5Q' WHERE id = 3");
        _django.Execute("UPDATE auth_user SET password = 'bcrypt_sha256$$2b$17$6E6XG4tbQ7XKTEDJI6OB2utKyolrTqTe.3FgocK3w.GAVWCM5v6qi' WHERE id = 4");

        var (exitCode, output, error) = await ImportAsync();

        Assert.True(exitCode == 0, error);
        Assert.Equal(
        [
            "skipped user 2 'bob': its password hash asks for 40000000 PBKDF2 iterations, more than the 3000000 the server computes.",
            "skipped user 3 'carol': its password hash asks for 1048576 KiB of argon2 memory, more than the 262144 the server computes.",
            "skipped user 4 'dave': its password hash asks for bcrypt cost 17, more than the 13 the server computes.",
        ], Lines(output)[..3]);
        Assert.EndsWith("skipped: 4 users and 3 devices.", Lines(output)[^1], StringComparison.Ordinal);
        Assert.False(await _server.WithDatabaseAsync(db => db.Users.AnyAsync(u => u.Id == 2 || u.Id == 3 || u.Id == 4)));
    }

    [Fact]
    public async Task ControlCharacters_SkipTheirUser_PrintedAsEscapes_AndAreDroppedFromDeviceNames()
    {
        var escape = _django.Provider == DatabaseProvider.Sqlite ? "char(27)" : "chr(27)";
        _django.Execute($"UPDATE auth_user SET username = 'bob' || {escape} || '[2J' WHERE id = 2");
        _django.Execute($"UPDATE jwt_devices_device SET name = 'iPhone' || {escape} || ']0;owned', details = {escape} || '[31mMyApp' WHERE id = 3");

        var (exitCode, output, error) = await ImportAsync();

        Assert.True(exitCode == 0, error);
        Assert.DoesNotContain(output, c => char.IsControl(c) && c != '\n');
        Assert.Contains(@"skipped user 2 'bob\x1B[2J': its user name or e-mail holds control characters.", Lines(output));
        var device = await _server.WithDatabaseAsync(db => db.Set<Device>().SingleAsync(d => d.Id == 3));
        Assert.Equal("iPhone]0;owned", device.Name);
        Assert.Equal("[31mMyApp", device.Details);
    }

    [Fact]
    public async Task APasswordInTheConnectionString_IsRefused_AndNothingIsImported()
    {
        var (exitCode, output, error) = await ImportWithConnectionAsync(_django.ConnectionStringWithoutPassword + ";Password=hunter2-in-argv", password: null);

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Equal(
            [$"error: --connection holds a password, which other users of this machine can read in the process list: remove it, and set {DjangoImportCommand.PasswordVariable} or pipe it to --connection-password-stdin. Nothing was imported."],
            Lines(error));
        Assert.Equal(0, await _server.WithDatabaseAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task DjangoPasswords_LogIn_AndAreUpgradedToIdentitysHash_WhileDjangoDevicesKeepRefreshing()
    {
        await ImportOrFailAsync();
        var client = _server.CreateClient();
        var tokens = _django.PermanentTokens();
        using (var wrong = await client.PostLoginAsync("alice", "Correct horse battery"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }
        Assert.True(DjangoPasswordHashes.IsDjangoHash(await PasswordHashAsync(1)), "A wrong password changed the hash.");

        foreach (var (name, (id, password)) in Passwords)
        {
            Assert.True(DjangoPasswordHashes.IsDjangoHash(await PasswordHashAsync(id)), $"{name}'s hash was not Django's before log-in.");

            var login = await client.LoginAsync(name, password);

            Assert.Equal(id, UserIdOf(login.Token));
            Assert.True(login.DeviceId > 21, "A new device got an imported device's id.");
            var upgraded = await PasswordHashAsync(id);
            Assert.False(DjangoPasswordHashes.IsDjangoHash(upgraded), $"{name}'s hash was not upgraded.");
            await client.LoginAsync(name, password); // the upgraded hash holds the same password
        }
        // Upgrading the hash at log-in does not end the devices Django had given out.
        using var refresh = await client.RefreshAsync(tokens[3]);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task DjangoPermanentToken_Refreshes_AndTheDeviceListKeepsDjangosNamesAndTimes()
    {
        await ImportOrFailAsync();
        var client = _server.CreateClient();

        using var refresh = await client.RefreshAsync(_django.PermanentTokens()[3]);

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var token = (await refresh.ReadJsonAsync()).GetProperty("token").GetString()!;
        var jwt = new JsonWebToken(token);
        Assert.Equal(1, UserIdOf(token));
        Assert.Equal("3", jwt.GetClaim("device_id").Value);
        Assert.Equal("alice", jwt.GetClaim("username").Value);
        using var list = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", token);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(
            """[{"id":3,"created":"2099-02-20T08:00:00.123456Z","name":"iPhone 12","details":"MyApp/2.1 CFNetwork/1220.1","last_request_datetime":"2099-03-02T11:10:00.654321Z"},{"id":4,"created":"2099-01-05T08:00:00Z","name":"Pixel 7","details":"okhttp/4.9.3","last_request_datetime":"2099-02-10T08:00:00Z"}]""",
            JsonSerializer.Serialize(await list.ReadJsonAsync()));
        using var me = await client.SendWithTokenAsync(HttpMethod.Get, "/me", token);
        Assert.Equal("""{"user_id":1,"username":"alice","email":"alice@example.com","device_id":3}""", JsonSerializer.Serialize(await me.ReadJsonAsync()));
    }

    [Fact]
    public async Task DevicesDjangoWouldHaveExpired_InactiveUsers_AndUnusablePasswords_StayShut()
    {
        await ImportOrFailAsync();
        var client = _server.CreateClient();
        var tokens = _django.PermanentTokens();

        // Device 4 was idle for twenty days: expired here as on Django, and deleted.
        Assert.Equal("expired_permanent_token", await RefreshCodeAsync(client, tokens[4]));
        Assert.False(await _server.WithDatabaseAsync(db => db.Set<Device>().AnyAsync(d => d.Id == 4)));
        // Erin is inactive on Django: neither her password nor her device gets in.
        using (var erin = await client.PostLoginAsync("erin", "erin-is-gone"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, erin.StatusCode);
        }
        Assert.Equal("inactive_user", await RefreshCodeAsync(client, tokens[10]));
        // Frank's password is unusable: nothing logs him in, not even the stored text; his device still works.
        var frankHash = await _server.WithDatabaseAsync(db => db.Users.Where(u => u.Id == 6).Select(u => u.PasswordHash).SingleAsync());
        Assert.Null(frankHash);
        using (var frank = await client.PostLoginAsync("frank", "!"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, frank.StatusCode);
        }
        using (var frankDevice = await client.RefreshAsync(tokens[11]))
        {
            Assert.Equal(HttpStatusCode.OK, frankDevice.StatusCode);
        }
        // Gina's MD5 hash is not verified: her password needs a reset, her device still works.
        using (var gina = await client.PostLoginAsync("gina", "gina-md5-pass"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, gina.StatusCode);
        }
        using (var ginaDevice = await client.RefreshAsync(tokens[15]))
        {
            Assert.Equal(HttpStatusCode.OK, ginaDevice.StatusCode);
        }
        // The skipped user's device was not imported.
        Assert.Equal("invalid_permanent_token", await RefreshCodeAsync(client, tokens[16]));
    }

    [Fact]
    public async Task Users_KeepTheirIdsNamesDatesAndStaffRights()
    {
        await ImportOrFailAsync();

        var users = await _server.WithDatabaseAsync(db => db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync());
        var admins = await AdminIdsAsync();

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 9, 12], users.Select(u => u.Id));
        Assert.Equal(["alice", "bob", "carol", "dave", "erin", "frank", "gina", "henry", "vector"], users.Select(u => u.UserName));
        // Only the superuser: henry is staff, which in Django may mean a few permissions, not all.
        Assert.Equal([1L], admins);
        var alice = users[0];
        Assert.Equal("alice@example.com", alice.Email);
        Assert.Equal(new DateTimeOffset(2098, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(10), alice.DateJoined);
        Assert.Equal(new DateTimeOffset(2099, 3, 1, 9, 29, 59, 500, TimeSpan.Zero), alice.LastLogin);
        Assert.Null(users[1].LastLogin);
        Assert.Null(users[2].Email); // carol had none
        Assert.True(users[4].LockoutEnd > Now.AddYears(1000), "The inactive user is not locked out.");
        Assert.All(users.Where(u => u.Id != 5), user => Assert.Null(user.LockoutEnd));
    }

    [Fact]
    public async Task StaffAsAdmin_MakesDjangosStaffAdminsToo()
    {
        await ImportOrFailAsync("--staff-as-admin");

        var admins = await AdminIdsAsync();

        Assert.Equal([1L, 9], admins);
    }

    [Fact]
    public async Task NewUsersAndDevices_GetIdsAboveTheImportedOnes()
    {
        await ImportOrFailAsync();

        var userId = await _server.AddUserAsync("newcomer");
        var login = await _server.CreateClient().LoginAsync("newcomer");

        Assert.Equal(13, userId);
        Assert.Equal(22, login.DeviceId);
    }

    [Fact]
    public async Task ImportingTwice_AddsNothing_AndSaysSo()
    {
        await ImportOrFailAsync();
        var client = _server.CreateClient();
        await client.LoginAsync("alice", Passwords["alice"].Password); // upgrades alice's hash and adds device 22
        var before = await SnapshotAsync();

        var (exitCode, output, error) = await ImportAsync();

        Assert.True(exitCode == 0, error);
        Assert.Equal(
            "Nothing new to import; already imported: 9 users and 8 devices; skipped: 1 user and 1 device.",
            Lines(output)[^1]);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task DatabaseDump_HoldsNoImportedPermanentTokenOrJwtSecretInTheClear()
    {
        await ImportOrFailAsync();
        using (var refresh = await _server.CreateClient().RefreshAsync(_django.PermanentTokens()[3]))
        {
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }

        var dump = await DatabaseDump.ReadAsync(_server);

        Assert.True(dump.AsSpan().IndexOf("iPhone 12"u8) >= 0, "The dump does not hold the imported devices.");
        foreach (var (id, token) in _django.PermanentTokens())
        {
            DatabaseDump.AssertAbsent(dump, Encoding.UTF8.GetBytes(token), $"permanent token of device {id}");
            DatabaseDump.AssertAbsent(dump, Convert.FromHexString(token), $"permanent token of device {id} (its bytes)");
        }
        foreach (var (id, secret) in _django.JwtSecrets())
        {
            DatabaseDump.AssertAbsent(dump, Encoding.UTF8.GetBytes(secret), $"jwt_secret of device {id}");
        }
    }

    [Fact]
    public async Task FailingHalfway_LeavesTheDatabaseAsItWas_AndExitsWithOneLine()
    {
        // The server already has a user and a device; Django's user 9 holds a date Django never writes,
        // met after four batches of two users were written.
        var zed = await _server.AddUserAsync("zed");
        var zedDevice = (await _server.CreateClient().LoginAsync("zed")).DeviceId;
        if (_django.Provider == DatabaseProvider.Postgres)
        {
            _django.Execute("ALTER TABLE auth_user ALTER COLUMN date_joined TYPE text USING date_joined::text");
        }
        _django.Execute("UPDATE auth_user SET date_joined = 'not a date' WHERE id = 9");
        var before = await SnapshotAsync();

        var (exitCode, output, error) = await ImportAsync("--batch-size", "2");

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Equal(["error: auth_user row 9: date_joined 'not a date' is not what Django writes there. Nothing was imported."], Lines(error));
        Assert.Equal(before, await SnapshotAsync());
        // Ids go on as if the import had never run.
        Assert.Equal(zed + 1, await _server.AddUserAsync("after"));
        Assert.Equal(zedDevice + 1, (await _server.CreateClient().LoginAsync("after")).DeviceId);
    }

    [Fact]
    public async Task ADatabaseWithoutDrfJwtDevices_ExitsWithTheReason_AndImportsNothing()
    {
        _django.Execute("DROP TABLE jwt_devices_device");

        var (exitCode, output, error) = await ImportAsync();

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("error: the Django database has no readable jwt_devices_device with the columns ", line, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was imported.", line, StringComparison.Ordinal);
        Assert.Equal(0, await _server.WithDatabaseAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task AMissingDjangoDatabase_ExitsWithTheReason_AndIsNotCreated()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"jwtdevices-no-django-{Guid.NewGuid():N}", "db.sqlite3");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AdminCommands.InvokeAsync(
            ["import-django", "--connection", $"Data Source={missing}", "--provider", "sqlite"], _server.Services, output, error);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(Lines(error.ToString()));
        Assert.StartsWith("error: cannot read the Django database: ", line, StringComparison.Ordinal);
        Assert.False(File.Exists(missing), "Opening the Django database created it.");
        Assert.Equal(string.Empty, output.ToString());
    }

    [Fact]
    public async Task Import_AsAProcess_ReadsTheServersDatabaseFromItsArguments()
    {
        string[] args =
        [
            "import-django", "--connection", _django.ConnectionStringWithoutPassword, "--provider", _django.Provider.ToString().ToLowerInvariant(),
            $"--Database:Provider={_server.Provider}",
            $"--ConnectionStrings:Default={_server.ConnectionString}",
            $"--JwtDevices:SigningKey={ServerFactory.SigningKey}",
        ];

        // The Django database's password from the environment, out of the process list.
        var environment = _django.Password is { } password ? new Dictionary<string, string> { [DjangoImportCommand.PasswordVariable] = password } : null;
        var result = await ServerProcess.RunAsync(null, environment, args);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith("Imported 9 users", Lines(result.Output)[^1], StringComparison.Ordinal);
        Assert.Equal(8, await _server.CountDevicesAsync());
    }

    // The Django database's password, when it has one, on standard input.
    private Task<(int ExitCode, string Output, string Error)> ImportAsync(params string[] extra) =>
        ImportWithConnectionAsync(_django.ConnectionStringWithoutPassword, _django.Password, extra);

    private async Task<(int ExitCode, string Output, string Error)> ImportWithConnectionAsync(string connection, string? password, params string[] extra)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(password + "\n");
        string[] stdin = password is null ? [] : ["--connection-password-stdin"];
        var exitCode = await AdminCommands.InvokeAsync(
            ["import-django", "--connection", connection, .. stdin, "--provider", _django.Provider.ToString(), .. extra],
            _server.Services, output, error, input);
        return (exitCode, output.ToString(), error.ToString());
    }

    private async Task ImportOrFailAsync(params string[] extra)
    {
        var (exitCode, _, error) = await ImportAsync(extra);
        Assert.True(exitCode == 0, error);
    }

    private Task<List<long>> AdminIdsAsync() => _server.WithDatabaseAsync(db =>
        (from link in db.UserRoles
         join role in db.Roles on link.RoleId equals role.Id
         where role.Name == ServerRoles.Admin
         orderby link.UserId
         select link.UserId).ToListAsync());

    private Task<string> PasswordHashAsync(long userId) =>
        _server.WithDatabaseAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash!).SingleAsync());

    private static async Task<string?> RefreshCodeAsync(HttpClient client, string permanentToken)
    {
        using var response = await client.RefreshAsync(permanentToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("code").GetString();
    }

    private static long UserIdOf(string token) => long.Parse(new JsonWebToken(token).GetClaim("user_id").Value, CultureInfo.InvariantCulture);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // Every row the import could touch, as text, to compare before and after.
    private Task<string> SnapshotAsync() => _server.WithDatabaseAsync(async db =>
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id)
            .Select(u => new { u.Id, u.UserName, u.PasswordHash, u.SecurityStamp, u.LockoutEnd, u.DateJoined }).ToListAsync();
        var devices = await db.Set<Device>().AsNoTracking().OrderBy(d => d.Id).ToListAsync();
        var roles = await db.Roles.AsNoTracking().OrderBy(r => r.Id).Select(r => new { r.Id, r.Name }).ToListAsync();
        var links = await db.UserRoles.AsNoTracking().OrderBy(l => l.UserId).Select(l => new { l.UserId, l.RoleId }).ToListAsync();
        return JsonSerializer.Serialize(new { users, devices, roles, links });
    });
}

public sealed class DjangoImportOnSqlite() : DjangoImportTests<SqliteServer>(DatabaseProvider.Sqlite);

[RequiresService(TestServices.Postgres)]
public sealed class DjangoImportOnPostgres() : DjangoImportTests<PostgresServer>(DatabaseProvider.Postgres);

/// <summary>A Django backend on PostgreSQL moving to a server on SQLite.</summary>
[RequiresService(TestServices.Postgres)]
public sealed class DjangoImportFromPostgresOnSqlite() : DjangoImportTests<SqliteServer>(DatabaseProvider.Postgres);

/// <summary>A Django backend on SQLite moving to a server on PostgreSQL.</summary>
[RequiresService(TestServices.Postgres)]
public sealed class DjangoImportFromSqliteOnPostgres() : DjangoImportTests<PostgresServer>(DatabaseProvider.Sqlite);
