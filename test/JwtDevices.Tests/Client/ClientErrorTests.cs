using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JwtDevices.Client;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Client;

/// <summary>The .NET client tells "sign in again" from "try later", against the real server on loopback.</summary>
public sealed class ClientErrorTests
{
    [Fact]
    public async Task ADeviceLoggedOutElsewhere_SurfacesOnceAsSignInRequired_AndTheStoreIsCleared()
    {
        using var server = new ClientServer(("JwtDevices:RotatePermanentTokens", "true"));
        await server.AddUserAsync("elsewhere");
        var store = new InMemoryJwtDevicesTokenStore();
        using var client = ClientServer.CreateJwtDevicesClient(server.Options(store));
        await client.SignInAsync("elsewhere", "password123");
        var signInRequired = new List<string>();
        client.SignInRequired += (_, args) => signInRequired.Add(args.Code);
        using var api = server.CreateApiClient(client);
        using var other = server.CreateApiClient(ClientServer.CreateJwtDevicesClient(server.Options()));
        var otherLogin = await new HttpClient { BaseAddress = server.BaseUrl }.LoginAsync("elsewhere");

        using var deleted = await new HttpClient { BaseAddress = server.BaseUrl }
            .SendWithTokenAsync(HttpMethod.Delete, $"/devices/{client.DeviceId}/", otherLogin.Token);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var failures = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Assert.ThrowsAsync<SignInRequiredException>(() => api.GetAsync("me"))));

        Assert.Equal(["invalid_permanent_token"], signInRequired);
        Assert.Contains(failures, failure => failure.Code == "invalid_permanent_token");
        Assert.Null(await store.LoadAsync(default));
        Assert.False(await client.IsSignedInAsync());
        Assert.Equal(0, server.Reuses);
    }

    [Fact]
    public async Task ARefreshAnswered429_WaitsTheServersRetryAfter_ThenSucceeds()
    {
        // JWTs of 20 seconds are refreshed 10 seconds before expiry; one refresh a minute is allowed.
        using var server = new ClientServer(
            ("JwtDevices:AccessTokenLifetime", "00:00:20"), ("RateLimits:Enabled", "true"), ("RateLimits:RefreshesPerClientPerMinute", "1"));
        await server.AddUserAsync("busy");
        var wire = new RefreshWire();
        var options = server.Options();
        options.MaxRetryDelay = TimeSpan.FromMinutes(2);
        using var client = ClientServer.CreateJwtDevicesClient(options, wire);
        await client.SignInAsync("busy", "password123");
        using var api = server.CreateApiClient(client);
        server.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("me")).StatusCode); // the minute's one refresh

        server.Time.Advance(TimeSpan.FromSeconds(11)); // due again, within the same minute: 429
        using var answer = await api.GetAsync("me");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var answers = wire.Answers.ToArray();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], [answers[0].Status, answers[^1].Status]);
        var refused = Assert.Single(answers, a => a.Status == HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.RetryAfter);
        Assert.Equal([refused.RetryAfter!.Value], server.Clock.Waits.ToArray());
    }

    [Fact]
    public async Task ARefreshDuringADatabaseOutage_IsRetriedWithinItsBound_ThenSurfacesAsUnavailable_NotSignInRequired()
    {
        using var server = new ClientServer();
        await server.AddUserAsync("outage");
        var wire = new RefreshWire();
        var store = new InMemoryJwtDevicesTokenStore();
        var options = server.Options(store);
        options.MaxRetries = 2;
        using var client = ClientServer.CreateJwtDevicesClient(options, wire);
        await client.SignInAsync("outage", "password123");
        var signInRequired = 0;
        client.SignInRequired += (_, _) => signInRequired++;
        using var api = server.CreateApiClient(client);

        server.Time.Advance(TimeSpan.FromMinutes(5));
        server.TakeTheDatabaseAway();
        var unavailable = await Assert.ThrowsAsync<JwtDevicesUnavailableException>(() => api.GetAsync("me"));
        server.BringTheDatabaseBack();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal("service_unavailable", unavailable.Code);
        Assert.Equal(TimeSpan.FromSeconds(5), unavailable.RetryAfter);
        Assert.Equal(3, wire.Attempts); // the first and MaxRetries more, each after Retry-After
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)], server.Clock.Waits.ToArray());
        Assert.Equal(0, signInRequired);
        Assert.NotNull(await store.LoadAsync(default));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("me")).StatusCode);
    }

    [Fact]
    public async Task TwoUsersSharingOneHttpClientFactory_NeverSeeEachOthersToken()
    {
        using var server = new ClientServer(("JwtDevices:RotatePermanentTokens", "true"));
        string[] users = ["alice", "bob"];
        var services = new ServiceCollection();
        foreach (var user in users)
        {
            await server.AddUserAsync(user);
            services.AddJwtDevicesClient(user, options =>
            {
                options.ServerAddress = server.BaseUrl;
                options.TimeProvider = server.Clock;
            });
            // A short handler lifetime makes the factory rebuild and pool handlers while the test runs.
            services.AddHttpClient($"{user}-api", http => http.BaseAddress = server.BaseUrl)
                .AddJwtDevicesHandler(user)
                .SetHandlerLifetime(TimeSpan.FromSeconds(1));
        }
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();
        foreach (var user in users)
        {
            await provider.GetRequiredKeyedService<JwtDevicesClient>(user).SignInAsync(user, "password123");
        }

        async Task<(string User, string? Seen)> CallAsync(int i)
        {
            var user = users[i % 2];
            var me = await factory.CreateClient($"{user}-api").GetFromJsonAsync<JsonElement>("me");
            return (user, me.GetProperty("username").GetString());
        }
        var before = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => CallAsync(i))));
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the factory builds new handlers and pools the old ones
        server.Time.Advance(TimeSpan.FromMinutes(5));
        var after = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => CallAsync(i))));

        Assert.All(before.Concat(after), call => Assert.Equal(call.User, call.Seen));
        Assert.Equal(2, server.Refreshes);
        Assert.Equal(0, server.Reuses);
    }
}
