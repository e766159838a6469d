using System.Net;
using JwtDevices.Endpoints;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests;

/// <summary>The seed's permitted-headers middleware (DESIGN.md, behaviour 6), over HTTP.</summary>
public abstract class PermittedHeadersTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    public static TheoryData<string, string> EndpointsAndMethods()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in new[] { "/auth-token/", "/device-logout/", "/devices/", "/devices/1/", "/me" })
        {
            foreach (var method in new[] { "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" })
            {
                data.Add(path, method);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EndpointsAndMethods))]
    public async Task PermanentToken_AnywhereButRefresh_Is400WhateverTheMethod(string path, string method)
    {
        await server.AddUserAsync($"headers_{path.Length}_{method}");
        var client = server.CreateClient();
        var login = await client.LoginAsync($"headers_{path.Length}_{method}");
        var devicesBefore = await server.CountDevicesAsync();

        using var response = await client.SendWithTokenAsync(new HttpMethod(method), path, login.Token,
            headers: ("Permanent-Token", login.PermanentToken!));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("permanent_token_not_permitted", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Fact]
    public async Task PermanentToken_OnLogIn_Is400AndCreatesNoDevice()
    {
        await server.AddUserAsync("headers_login");
        var devicesBefore = await server.CountDevicesAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth-token/")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { username = "headers_login", password = "password123" }),
        };
        request.Headers.Add("Permanent-Token", "anything");

        using var response = await server.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(devicesBefore, await server.CountDevicesAsync());
    }

    [Theory]
    [InlineData("/device-refresh-token/")]
    [InlineData("/device-refresh-token")]
    public async Task PermanentToken_OnRefresh_IsNotRefused(string path)
    {
        await server.AddUserAsync($"headers_refresh{path.Length}");
        var client = server.CreateClient();
        var login = await client.LoginAsync($"headers_refresh{path.Length}");

        using var response = await client.SendWithTokenAsync(HttpMethod.Post, path, null,
            headers: ("Permanent-Token", login.PermanentToken!));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task PermanentToken_OnTheRefreshPath_WithAnotherMethod_Is405AsTheSeedAnswered(string method)
    {
        await server.EnsureUserAsync("headers_refresh_method");
        var login = await server.CreateClient().LoginAsync("headers_refresh_method");

        using var response = await server.CreateClient().SendWithTokenAsync(new HttpMethod(method), "/device-refresh-token/", null,
            headers: ("Permanent-Token", login.PermanentToken!));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed, JwtDevicesErrors.MethodNotAllowed);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.True(await server.DeviceExistsAsync(login.DeviceId!.Value));
    }

    [Fact]
    public async Task TokenAnswers_AreNotToBeStored()
    {
        await server.EnsureUserAsync("headers_no_store");
        var client = server.CreateClient();
        using var logIn = await client.PostLoginAsync("headers_no_store", "password123");
        var permanentToken = (await logIn.ReadJsonAsync()).GetProperty("permanent_token").GetString();
        using var refresh = await client.RefreshAsync(permanentToken);

        foreach (var response in new[] { logIn, refresh })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store is missing.");
            Assert.Contains("no-cache", response.Headers.Pragma.Select(p => p.Name));
        }
    }
}

public sealed class PermittedHeadersOnSqlite(SqliteServer server) : PermittedHeadersTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class PermittedHeadersOnPostgres(PostgresServer server) : PermittedHeadersTests<PostgresServer>(server);
