using System.Net.Http.Json;
using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>The calls the server's page makes, with its header and Origin, over the test server's HTTP pipeline.</summary>
public static class PageClient
{
    public const string ChromeUserAgent =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary>What Chromium asks for when it opens an address.</summary>
    public const string BrowserAccept =
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

    /// <summary>A page request: the page's header and this server's Origin, unless told otherwise.</summary>
    public static HttpRequestMessage Request(string path, object? body = null, string? origin = "http://localhost", bool pageHeader = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (pageHeader)
        {
            request.Headers.TryAddWithoutValidation("X-JwtDevices-Page", "1");
        }
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }
        request.Headers.TryAddWithoutValidation("User-Agent", ChromeUserAgent);
        return request;
    }

    public static async Task<HttpResponseMessage> PageLoginAsync(this HttpClient client, string username, string password = "password123")
    {
        using var request = Request("/page/login/", new { username, password });
        return await client.SendAsync(request);
    }

    /// <summary>Gives the user the admin role, creating the role if it is missing.</summary>
    public static async Task MakeAdminAsync(this ServerFactory server, string username)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<long>>>();
        if (!await roles.RoleExistsAsync(ServerRoles.Admin))
        {
            Assert.True((await roles.CreateAsync(new IdentityRole<long>(ServerRoles.Admin))).Succeeded);
        }
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ServerUser>>();
        var user = await users.FindByNameAsync(username);
        Assert.True((await users.AddToRoleAsync(user!, ServerRoles.Admin)).Succeeded);
    }
}
