using System.Globalization;
using System.Net;
using JwtDevices.Events;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace JwtDevices.Tests.Diagnostics;

/// <summary>The <c>JwtDevices</c> meter and the log lines, read as an operator's collector would.</summary>
public abstract class MetricsAndLogsTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    // No cleanup while the clock jumps past the permanent-token lifetime: the refresh finds the device expired.
    private readonly ServerFactory _server = new TServer().WithSettings(("JwtDevices:CleanupInterval", "30.00:00:00"));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Meter_CountsLogInsAndRefreshes_ByResult_AndTimesRefreshes()
    {
        await _server.AddUserAsync("metrics_login");
        using var logins = Collect<long>("jwtdevices.logins");
        using var refreshes = Collect<long>("jwtdevices.refreshes");
        using var durations = Collect<double>("jwtdevices.refresh.duration");
        var client = _server.CreateClient();

        using var wrong = await client.PostLoginAsync("metrics_login", "wrong-password");
        var login = await client.LoginAsync("metrics_login");
        using var refreshed = await client.RefreshAsync(login.PermanentToken);
        using var unknown = await client.RefreshAsync("not-a-permanent-token");

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(["invalid_credentials", "success"], Results(logins));
        Assert.Equal(["success", "unknown_token"], Results(refreshes));
        Assert.Equal(["success", "unknown_token"], Results(durations));
        Assert.All(durations.GetMeasurementSnapshot(), measurement => Assert.True(measurement.Value >= 0));
    }

    [Fact]
    public async Task Meter_CountsRevocations_ByReason()
    {
        await _server.AddUserAsync("metrics_revoke");
        using var revocations = Collect<long>("jwtdevices.revocations");
        var client = _server.CreateClient();
        var first = await client.LoginAsync("metrics_revoke");
        var second = await client.LoginAsync("metrics_revoke");
        var third = await client.LoginAsync("metrics_revoke");

        using var logout = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", first.Token,
            headers: ("Device-Id", first.DeviceId!.Value.ToString(CultureInfo.InvariantCulture)));
        using var delete = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{second.DeviceId}/", second.Token);
        _server.Time.Advance(TimeSpan.FromDays(8));
        using var expired = await client.RefreshAsync(third.PermanentToken);

        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Equal(["logged_out", "deleted", "expired"], revocations.GetMeasurementSnapshot()
            .Select(measurement => (string)measurement.Tags["jwtdevices.revocation.reason"]!));
    }

    [Fact]
    public async Task Meter_CountsRefusedTokens_ByReason()
    {
        await _server.AddUserAsync("metrics_refused");
        using var failures = Collect<long>("jwtdevices.authentication.failures");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("metrics_refused");
        var stale = await client.LoginAsync("metrics_refused");
        using var gone = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{stale.DeviceId}/", login.Token);

        await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token);
        await client.StatusOfAsync(HttpMethod.Get, "/me", null);
        await client.StatusOfAsync(HttpMethod.Get, "/me", "not-a-token");
        await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token[..^2] + "AA");
        await client.StatusOfAsync(HttpMethod.Get, "/me", stale.Token);
        _server.Time.Advance(TimeSpan.FromMinutes(6));
        await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token);

        // A good token and no token are no failures.
        Assert.Equal(["malformed", "invalid", "device_gone", "expired"], failures.GetMeasurementSnapshot()
            .Select(measurement => (string)measurement.Tags["jwtdevices.failure.reason"]!));
    }

    [Fact]
    public async Task ReuseDetectedAndDeviceLimitReached_AreLoggedCountedAndRaised()
    {
        var raised = new List<string>();
        var server = _server.WithServices(services => services.Configure<JwtDevicesOptions>(JwtDevicesDefaults.AuthenticationScheme, options =>
        {
            options.Events.OnReuseDetected = context =>
            {
                raised.Add($"reuse {context.DeviceId} {context.UserId} {context.HttpContext is null}");
                return Task.CompletedTask;
            };
            options.Events.OnDeviceLimitReached = context =>
            {
                raised.Add($"limit {context.UserId} {context.Limit} {string.Join(',', context.EvictedDeviceIds)} {context.Refused}");
                return Task.CompletedTask;
            };
        }));
        using var reuses = Collect<long>("jwtdevices.reuse_detections");
        using var limits = Collect<long>("jwtdevices.device_limit_reached");

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var events = scope.ServiceProvider.GetRequiredService<DeviceEventRaiser>();
            await events.ReuseDetectedAsync(41, "7");
            await events.DeviceLimitReachedAsync("7", 3, [12, 13]);
            await events.DeviceLimitReachedAsync("8", 3, []);
        }

        Assert.Equal(["reuse 41 7 True", "limit 7 3 12,13 False", "limit 8 3  True"], raised);
        Assert.Single(reuses.GetMeasurementSnapshot());
        Assert.Equal(["evicted", "refused"], Results(limits));
        Assert.Single(server.LogLines, line => line.StartsWith("Warning JwtDevices.Events.DeviceEventRaiser[7]", StringComparison.Ordinal)
            && line.Contains("device 41 (user 7)", StringComparison.Ordinal));
        Assert.Equal(2, server.LogLines.Count(line => line.Contains("DeviceEventRaiser[8]", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("forged")]
    [InlineData("revoked")]
    public async Task ARefusedToken_IsLoggedOnce(string kind)
    {
        await _server.AddUserAsync($"logged_once_{kind}");
        var client = _server.CreateClient();
        var login = await client.LoginAsync($"logged_once_{kind}");
        var token = kind switch
        {
            "forged" => login.Token[..^2] + "AA",
            "revoked" => login.Token,
            _ => kind,
        };
        if (kind == "revoked")
        {
            using var delete = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{login.DeviceId}/", login.Token);
        }
        _server.LogLines.Clear();

        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/me", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var lines = _server.LogLines.ToArray();
        var authentication = lines
            .Where(line => line.Contains("Authentication", StringComparison.Ordinal) || line.Contains("JwtDevicesHandler", StringComparison.Ordinal))
            .Where(line => !line.StartsWith("Debug", StringComparison.Ordinal) && !line.StartsWith("Trace", StringComparison.Ordinal))
            .ToArray();
        var refused = Assert.Single(authentication);
        Assert.StartsWith("Information JwtDevices.JwtDevicesHandler[10] Access token refused for /me: ", refused, StringComparison.Ordinal);
        // One sentence, one full stop: the reason brings its own.
        Assert.EndsWith(".", refused.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("..", refused, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, line => line.Contains(login.Token, StringComparison.Ordinal));
    }

    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct =>
        new(_server.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), JwtDevicesDiagnostics.MeterName, instrument);

    private static string[] Results<T>(MetricCollector<T> collector)
        where T : struct =>
        collector.GetMeasurementSnapshot().Select(measurement => (string)measurement.Tags["jwtdevices.result"]!).ToArray();
}

public sealed class MetricsAndLogsOnSqlite : MetricsAndLogsTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class MetricsAndLogsOnPostgres : MetricsAndLogsTests<PostgresServer>;
