using System.Net;
using System.Text.Json;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests;

/// <summary>
/// The settings as the scheme's named options: scheme names, binding from the <c>JwtDevices</c> and
/// <c>Authentication:Schemes</c> sections, and a second scheme.
/// </summary>
public sealed class SchemeOptionsTests
{
    [Fact]
    public async Task Settings_AreTheSchemesNamedOptions_BoundFromTheJwtDevicesSection()
    {
        await using var app = await LibraryApp.StartAsync(
            authentication => authentication.AddJwtDevices(options => options.SigningKey = ServerFactory.SigningKey),
            builder => builder.Configuration["JwtDevices:AccessTokenLifetime"] = "00:02:00");

        var named = app.Services.GetRequiredService<IOptionsMonitor<JwtDevicesOptions>>().Get(JwtDevicesDefaults.AuthenticationScheme);
        var token = await LogInAsync(app);

        Assert.Equal(TimeSpan.FromMinutes(2), named.AccessTokenLifetime);
        Assert.Same(named, app.Services.GetRequiredService<IOptions<JwtDevicesOptions>>().Value);
        // Code that reads the unnamed options sees the settings in use, not unbound defaults.
        var unnamed = app.Services.GetRequiredService<IOptionsMonitor<JwtDevicesOptions>>().CurrentValue;
        Assert.Equal((TimeSpan.FromMinutes(2), ServerFactory.SigningKey), (unnamed.AccessTokenLifetime, unnamed.SigningKey));
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]));
        Assert.Equal(120, payload.RootElement.GetProperty("exp").GetInt64() - payload.RootElement.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task ASchemeOfAnotherName_ProtectsTheEndpoints()
    {
        await using var app = await LibraryApp.StartAsync(
            authentication => authentication.AddJwtDevices("Devices", options => options.SigningKey = ServerFactory.SigningKey),
            defaultScheme: "Devices");
        var token = await LogInAsync(app);
        var client = app.CreateClient();

        using var devices = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", token);
        using var anonymous = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", null);

        Assert.Equal(HttpStatusCode.OK, devices.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(ServerFactory.SigningKey, app.Services.GetRequiredService<IOptionsMonitor<JwtDevicesOptions>>().Get("Devices").SigningKey);
    }

    [Fact]
    public async Task ASecondScheme_SharesTheSettings_AndHasItsOwnEvents()
    {
        await using var app = await LibraryApp.StartAsync(
            authentication => authentication
                .AddJwtDevices(options => options.SigningKey = ServerFactory.SigningKey)
                .AddJwtDevices("Hub", options => options.Events.OnMessageReceived = context =>
                {
                    context.Token = context.Request.Query["access_token"];
                    return Task.CompletedTask;
                }),
            mapMore: endpoints => endpoints.MapGet("/hub", () => "hub")
                .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "Hub" }));
        var token = await LogInAsync(app);
        var client = app.CreateClient();

        using var hub = await client.GetAsync(new Uri($"/hub?access_token={token}", UriKind.Relative));
        using var devices = await client.GetAsync(new Uri($"/devices/?access_token={token}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, hub.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, devices.StatusCode);
        var monitor = app.Services.GetRequiredService<IOptionsMonitor<JwtDevicesOptions>>();
        var (first, second) = (monitor.Get(JwtDevicesDefaults.AuthenticationScheme), monitor.Get("Hub"));
        Assert.Equal(ServerFactory.SigningKey, second.SigningKey);
        Assert.NotSame(first.Events, second.Events);
        // Lists are copied: post-configuring one scheme cannot change the other's.
        Assert.NotSame(first.SigningKeys, second.SigningKeys);
    }

    [Fact]
    public async Task ASecondScheme_ThatChangesASharedSetting_StopsStartUp()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = await LibraryApp.StartAsync(
                authentication => authentication
                    .AddJwtDevices(options => options.SigningKey = ServerFactory.SigningKey)
                    .AddJwtDevices("Hub", options => options.AccessTokenLifetime = TimeSpan.FromHours(1)));
        });

        Assert.Contains("'Hub' changes AccessTokenLifetime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_AreBoundFromAuthenticationSchemes_AsJwtBearers_AfterTheJwtDevicesSection()
    {
        await using var app = await LibraryApp.StartAsync(
            authentication => authentication.AddJwtDevices(),
            builder =>
            {
                builder.Configuration["Authentication:Schemes:JwtDevices:SigningKey"] = ServerFactory.SigningKey;
                builder.Configuration["Authentication:Schemes:JwtDevices:AccessTokenLifetime"] = "00:03:00";
                builder.Configuration["JwtDevices:AccessTokenLifetime"] = "00:02:00";
                builder.Configuration["JwtDevices:Issuer"] = "https://issuer.example";
            });

        var token = await LogInAsync(app);

        // Set only under Authentication:Schemes: it takes effect; set in both: the scheme's section wins.
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]));
        Assert.Equal(180, payload.RootElement.GetProperty("exp").GetInt64() - payload.RootElement.GetProperty("iat").GetInt64());
        // The JwtDevices section still counts for what the scheme's section leaves alone.
        Assert.Equal("https://issuer.example", payload.RootElement.GetProperty("iss").GetString());
        Assert.Equal(HttpStatusCode.OK, await app.CreateClient().StatusOfAsync(HttpMethod.Get, "/devices/", token));
    }

    [Fact]
    public async Task ABadSetting_UnderAuthenticationSchemes_StopsStartUp_WithAMessageNamingIt()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = await LibraryApp.StartAsync(
                authentication => authentication.AddJwtDevices(options => options.SigningKey = ServerFactory.SigningKey),
                builder => builder.Configuration["Authentication:Schemes:JwtDevices:AccessTokenLifetime"] = "-00:01:00");
        });

        Assert.Contains("AccessTokenLifetime must be greater than zero (it is -00:01:00)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecondSchemesOwnSection_ThatChangesASharedSetting_StopsStartUp()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = await LibraryApp.StartAsync(
                authentication => authentication
                    .AddJwtDevices(options => options.SigningKey = ServerFactory.SigningKey)
                    .AddJwtDevices("Hub", null),
                builder => builder.Configuration["Authentication:Schemes:Hub:ClockSkew"] = "00:00:30");
        });

        Assert.Contains("'Hub' changes ClockSkew", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> LogInAsync(LibraryApp app)
    {
        await app.AddUserAsync("dave");
        return (await app.LogInAsync("dave")).Token;
    }
}
