using System.Collections.Concurrent;
using System.Net;
using JwtDevices.Devices;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests.Diagnostics;

/// <summary>JwtDevicesEvents, set on the scheme's options or taken from services, over the real pipeline.</summary>
public abstract class EventsTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private readonly ConcurrentQueue<string> _raised = new();
    private ServerFactory? _server;

    public void Dispose() => _server?.Dispose();

    [Fact]
    public async Task MessageReceived_CanTakeTheTokenFromTheAccessTokenQueryString()
    {
        var server = Start(events => events.OnMessageReceived = context =>
        {
            // What a SignalR application does: browsers cannot set headers on a WebSocket.
            if (context.Request.Query.TryGetValue("access_token", out var token))
            {
                context.Token = token;
            }
            return Task.CompletedTask;
        });
        await server.AddUserAsync("query_token");
        var client = server.CreateClient();
        var login = await client.LoginAsync("query_token");

        using var withQuery = await client.GetAsync(new Uri($"/me?access_token={login.Token}", UriKind.Relative));
        using var withHeader = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);
        using var withBadQuery = await client.GetAsync(new Uri("/me?access_token=not-a-token", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, withQuery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withHeader.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withBadQuery.StatusCode);
    }

    [Fact]
    public async Task QueryStringToken_IsIgnored_WithoutAMessageReceivedHandler()
    {
        var server = Start(_ => { });
        await server.AddUserAsync("query_ignored");
        var client = server.CreateClient();
        var login = await client.LoginAsync("query_ignored");

        using var response = await client.GetAsync(new Uri($"/me?access_token={login.Token}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TokenValidated_SeesTheDevice_AndCanRefuseTheRequest()
    {
        var server = Start(events => events.OnTokenValidated = context =>
        {
            _raised.Enqueue($"validated {context.DeviceId} {context.Principal!.FindFirst("user_id")!.Value}");
            if (context.Request.Headers.ContainsKey("X-Refuse"))
            {
                context.Fail("refused by the application");
            }
            return Task.CompletedTask;
        });
        var userId = await server.AddUserAsync("validated");
        var client = server.CreateClient();
        var login = await client.LoginAsync("validated");

        using var accepted = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);
        using var refused = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token, headers: ("X-Refuse", "1"));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains($"validated {login.DeviceId} {userId}", _raised);
    }

    [Fact]
    public async Task AuthenticationFailed_TellsAnExpiredTokenApart_AndCanLeaveTheRequestUnauthenticated()
    {
        var server = Start(events => events.OnAuthenticationFailed = context =>
        {
            _raised.Enqueue($"failed {context.Exception.GetType().Name}");
            // What JwtBearer applications do, so that their clients know to refresh.
            if (context.Exception is SecurityTokenExpiredException)
            {
                context.Response.Headers["Token-Expired"] = "true";
            }
            if (context.Request.Headers.ContainsKey("X-No-Result"))
            {
                context.NoResult();
            }
            return Task.CompletedTask;
        });
        await server.AddUserAsync("failed_event");
        var client = server.CreateClient();
        var login = await client.LoginAsync("failed_event");
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
        server.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        using var expired = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);
        using var malformed = await client.SendWithTokenAsync(HttpMethod.Get, "/me", "not-a-token");
        using var leftAlone = await client.SendWithTokenAsync(HttpMethod.Get, "/me", "not-a-token", headers: ("X-No-Result", "1"));

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("true", expired.Headers.GetValues("Token-Expired").Single());
        Assert.Equal("error=\"invalid_token\", error_description=\"The token is expired.\"", expired.Headers.WwwAuthenticate.Single().Parameter);
        Assert.Equal(HttpStatusCode.Unauthorized, malformed.StatusCode);
        Assert.False(malformed.Headers.Contains("Token-Expired"));
        // NoResult: as if no token had come, so the challenge names no error.
        Assert.Equal(HttpStatusCode.Unauthorized, leftAlone.StatusCode);
        Assert.Null(leftAlone.Headers.WwwAuthenticate.Single().Parameter);
        Assert.Equal(["failed SecurityTokenExpiredException", "failed SecurityTokenMalformedException", "failed SecurityTokenMalformedException"], _raised);
    }

    [Fact]
    public async Task Challenge_CanWriteItsOwnAnswer()
    {
        var server = Start(events => events.OnChallenge = async context =>
        {
            context.HandleResponse();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers["X-Challenge"] = $"{context.Error ?? "none"} {context.AuthenticateFailure is not null}";
            await context.Response.WriteAsync("custom");
        });
        var client = server.CreateClient();

        using var badToken = await client.SendWithTokenAsync(HttpMethod.Get, "/me", "not-a-token");
        using var noToken = await client.SendWithTokenAsync(HttpMethod.Get, "/me", null);

        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
        Assert.Equal("invalid_token True", badToken.Headers.GetValues("X-Challenge").Single());
        Assert.False(badToken.Headers.Contains("WWW-Authenticate"));
        Assert.Equal("custom", await badToken.Content.ReadAsStringAsync());
        Assert.Equal("none False", noToken.Headers.GetValues("X-Challenge").Single());
    }

    [Fact]
    public async Task DeviceEvents_FollowLogInRefreshAndLogOut()
    {
        var server = Start(events =>
        {
            events.OnDeviceCreated = context =>
            {
                _raised.Enqueue($"created {context.DeviceId} {context.UserId} {context.DeviceName} {context.HttpContext is not null}");
                return Task.CompletedTask;
            };
            events.OnTokenRefreshed = context =>
            {
                _raised.Enqueue($"refreshed {context.DeviceId} {context.UserId}");
                return Task.CompletedTask;
            };
            events.OnDeviceRevoked = context =>
            {
                _raised.Enqueue($"revoked {context.DeviceId} {context.Reason}");
                return Task.CompletedTask;
            };
        });
        var userId = await server.AddUserAsync("device_events");
        var client = server.CreateClient();
        var first = await client.LoginAsync("device_events", deviceModel: "Nokia");
        var second = await client.LoginAsync("device_events", deviceModel: "Nokia");

        using var refresh = await client.RefreshAsync(first.PermanentToken);
        using var logout = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", first.Token,
            headers: ("Device-Id", first.DeviceId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var delete = await client.SendWithTokenAsync(HttpMethod.Delete, $"/devices/{second.DeviceId}/", second.Token);

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(
        [
            $"created {first.DeviceId} {userId} Nokia True",
            $"created {second.DeviceId} {userId} Nokia True",
            $"refreshed {first.DeviceId} {userId}",
            $"revoked {first.DeviceId} {DeviceRevocationReason.LoggedOut}",
            $"revoked {second.DeviceId} {DeviceRevocationReason.Deleted}",
        ], _raised);
    }

    [Fact]
    public async Task EventsType_IsTakenFromServices()
    {
        _server = new TServer().WithServices(services =>
        {
            services.AddSingleton(_raised);
            services.AddScoped<RecordingEvents>();
            services.Configure<JwtDevicesOptions>(JwtDevicesDefaults.AuthenticationScheme, options => options.EventsType = typeof(RecordingEvents));
        });
        await _server.AddUserAsync("events_type");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("events_type");

        using var me = await client.SendWithTokenAsync(HttpMethod.Get, "/me", login.Token);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal([$"created {login.DeviceId}", $"validated {login.DeviceId}"], _raised);
    }

    private ServerFactory Start(Action<JwtDevicesEvents> configure)
    {
        _server = new TServer().WithServices(services =>
            services.Configure<JwtDevicesOptions>(JwtDevicesDefaults.AuthenticationScheme, options => configure(options.Events)));
        return _server;
    }

    private sealed class RecordingEvents(ConcurrentQueue<string> raised) : JwtDevicesEvents
    {
        public override Task DeviceCreated(DeviceCreatedContext context)
        {
            raised.Enqueue($"created {context.DeviceId}");
            return Task.CompletedTask;
        }

        public override Task TokenValidated(TokenValidatedContext context)
        {
            raised.Enqueue($"validated {context.DeviceId}");
            return Task.CompletedTask;
        }
    }
}

public sealed class EventsOnSqlite : EventsTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class EventsOnPostgres : EventsTests<PostgresServer>;
