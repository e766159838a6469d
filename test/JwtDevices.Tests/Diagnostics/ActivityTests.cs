using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Diagnostics;

/// <summary>
/// The <c>JwtDevices</c> activity source. The source is static, so these tests run alone: every activity
/// a listener sees is theirs.
/// </summary>
public abstract class ActivityTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private readonly ServerFactory _server = new TServer();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    protected ActivityTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == JwtDevicesDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task LogInRefreshAndRevoke_EachHaveAnActivity_WithIdsAndResults_AndNoSecret()
    {
        const string Password = "activity-password";
        var userId = (await _server.AddUserAsync("activities", Password)).ToString(CultureInfo.InvariantCulture);
        var client = _server.CreateClient();
        using var wrong = await client.PostLoginAsync("activities", "wrong-password");
        var login = await client.LoginAsync("activities", Password);
        using var refresh = await client.RefreshAsync(login.PermanentToken);
        var refreshed = (await refresh.ReadJsonAsync()).GetProperty("token").GetString()!;
        using var logout = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", refreshed,
            headers: ("Device-Id", login.DeviceId!.Value.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        var activities = _stopped.ToArray();
        var deviceId = login.DeviceId.Value.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(["JwtDevices.Login", "JwtDevices.Login", "JwtDevices.Refresh", "JwtDevices.Revoke"], activities.Select(a => a.OperationName));
        Assert.Equal("invalid_credentials", activities[0].GetTagItem("jwtdevices.result"));
        Assert.Equal(("success", userId, deviceId), Tags(activities[1], "jwtdevices.result", "jwtdevices.user_id", "jwtdevices.device_id"));
        Assert.Equal(("success", deviceId), (Tag(activities[2], "jwtdevices.result"), Tag(activities[2], "jwtdevices.device_id")));
        Assert.Equal(("logged_out", userId, deviceId), Tags(activities[3], "jwtdevices.revocation.reason", "jwtdevices.user_id", "jwtdevices.device_id"));

        string[] secrets = [Password, login.Token, login.PermanentToken!, refreshed];
        var values = activities.SelectMany(a => a.TagObjects.Select(tag => $"{tag.Key}={tag.Value}").Append(a.DisplayName)).ToArray();
        Assert.DoesNotContain(values, value => secrets.Any(secret => value.Contains(secret, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AnAuthenticatedRequest_StartsNoActivity()
    {
        await _server.AddUserAsync("no_activity");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("no_activity");
        _stopped.Clear();

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
        }

        Assert.Empty(_stopped);
    }

    private static string? Tag(Activity activity, string name) => activity.GetTagItem(name)?.ToString();

    private static (string?, string?, string?) Tags(Activity activity, string first, string second, string third) =>
        (Tag(activity, first), Tag(activity, second), Tag(activity, third));
}

[Collection(ActivityTestsRunAlone.Name)]
public sealed class ActivitiesOnSqlite : ActivityTests<SqliteServer>;

[Collection(ActivityTestsRunAlone.Name)]
[RequiresService(TestServices.Postgres)]
public sealed class ActivitiesOnPostgres : ActivityTests<PostgresServer>;

/// <summary>Tests that listen to the static activity source: they run alone, after the rest.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ActivityTestsRunAlone
{
    public const string Name = "Activity listeners";
}
