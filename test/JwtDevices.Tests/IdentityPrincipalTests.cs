using System.Net;
using System.Security.Claims;
using System.Text.Json;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests;

/// <summary>
/// The principal of a JwtDevices request is one ASP.NET Core and Identity understand: <c>UserManager</c> finds
/// its user, <c>Identity.Name</c> is the user name, and with <c>IncludeRoles</c> the user's roles authorize;
/// without it the JWT carries the seed's claims and nothing more.
/// </summary>
public sealed class IdentityPrincipalTests
{
    private static readonly string[] s_roles = ["admin", "auditor", "other"];

    private static readonly string[] s_seedClaims = ["device_id", "email", "exp", "iat", "jti", "user_id", "username"];

    [Fact]
    public async Task UserManager_FindsTheSignedInUser_AndIdentityNameIsTheUserName()
    {
        await using var app = await StartAsync(includeRoles: false);
        var userId = await app.AddUserAsync("erin");
        var (token, _) = await app.LogInAsync("erin");

        using var response = await app.CreateClient().SendWithTokenAsync(HttpMethod.Get, "/whoami", token, "Bearer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(userId, body.GetProperty("getUserId").GetString());
        Assert.Equal("erin", body.GetProperty("getUserAsync").GetString());
        Assert.Equal("erin", body.GetProperty("identityName").GetString());
        Assert.Equal("erin", body.GetProperty("getUserName").GetString());
        // The token's own claims are still there, under their wire names.
        Assert.Equal(userId, body.GetProperty("userIdClaim").GetString());
    }

    [Fact]
    public async Task ATokensFirstRequest_AndItsCachedOnes_GetTheSamePrincipal()
    {
        await using var app = await StartAsync(includeRoles: true, withRoles: true);
        await app.AddUserAsync("kate", "admin", "auditor");
        var (token, _) = await app.LogInAsync("kate");
        var client = app.CreateClient();

        // The first request uses the identity its validation made, the second keeps a copy, the third is a cache hit.
        var principals = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/principal", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            principals.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.All(principals, principal => Assert.Equal(principals[0], principal));
        var first = JsonDocument.Parse(principals[0]).RootElement;
        Assert.Equal("ClaimsIdentity JwtDevices kate admin,auditor", first.GetProperty("identity").GetString());
        var claims = first.GetProperty("claims").EnumerateArray().Select(claim => claim.GetString()).ToArray();
        Assert.Contains($"{ClaimTypes.Name}=kate", claims);
        Assert.Contains("username=kate", claims);
        Assert.Equal(2, claims.Count(claim => claim!.StartsWith(ClaimTypes.Role + "=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WithoutIncludeRoles_TheJwtCarriesTheSeedsClaimsOnly_AndNoRoleAuthorizes()
    {
        await using var app = await StartAsync(includeRoles: false, withRoles: true);
        await app.AddUserAsync("frank", "admin");
        var (token, _) = await app.LogInAsync("frank");

        using var admin = await app.CreateClient().SendWithTokenAsync(HttpMethod.Get, "/admin", token);

        Assert.Equal(s_seedClaims, PayloadKeys(token));
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
    }

    [Fact]
    public async Task WithIncludeRoles_TheJwtCarriesTheRoles_AndAuthorizeRolesLetsOnlyThemIn()
    {
        await using var app = await StartAsync(includeRoles: true, withRoles: true);
        await app.AddUserAsync("grace", "admin", "auditor");
        await app.AddUserAsync("heidi");
        var (adminToken, _) = await app.LogInAsync("grace");
        var (userToken, _) = await app.LogInAsync("heidi");
        var client = app.CreateClient();

        using var asAdmin = await client.SendWithTokenAsync(HttpMethod.Get, "/admin", adminToken);
        using var asUser = await client.SendWithTokenAsync(HttpMethod.Get, "/admin", userToken);

        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asUser.StatusCode);
        Assert.Equal(["admin", "auditor"], Payload(adminToken).GetProperty("roles").EnumerateArray().Select(role => role.GetString()).Order());
        // A user without roles gets no roles claim at all.
        Assert.Equal(s_seedClaims, PayloadKeys(userToken));
    }

    [Fact]
    public async Task ARemovedRole_LeavesTheTokensIssuedBefore_AndNotTheNextRefreshs()
    {
        await using var app = await StartAsync(includeRoles: true, withRoles: true);
        await app.AddUserAsync("ivan", "admin");
        var (token, permanentToken) = await app.LogInAsync("ivan");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            Assert.True((await users.RemoveFromRoleAsync((await users.FindByNameAsync("ivan"))!, "admin")).Succeeded);
        }
        var client = app.CreateClient();

        using var refresh = await client.RefreshAsync(permanentToken);
        var refreshed = (await refresh.ReadJsonAsync()).GetProperty("token").GetString()!;

        // The old token keeps the role until it expires (AccessTokenLifetime); the refreshed one has none.
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/admin", token));
        Assert.Equal(HttpStatusCode.Forbidden, await client.StatusOfAsync(HttpMethod.Get, "/admin", refreshed));
        Assert.False(Payload(refreshed).TryGetProperty("roles", out _));
    }

    [Fact]
    public async Task IncludeRoles_WithAUserStoreWithoutRoles_StopsStartUp_NamingTheSettingAndTheFix()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = await StartAsync(includeRoles: true, withRoles: false);
        });

        Assert.Contains("JwtDevices:IncludeRoles is on, but Identity's user store keeps no roles", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddRoles<IdentityRole>()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forbidden_IsRaised_WhenAuthorizationRefusesAnAuthenticatedCaller()
    {
        await using var app = await StartAsync(includeRoles: true, withRoles: true, events => events.OnForbidden = context =>
        {
            context.Response.Headers["X-Forbidden"] = context.Principal?.Identity?.Name ?? "nobody";
            return Task.CompletedTask;
        });
        await app.AddUserAsync("judy");
        var (token, _) = await app.LogInAsync("judy");

        using var response = await app.CreateClient().SendWithTokenAsync(HttpMethod.Get, "/admin", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(response.Headers.Contains("X-Forbidden"));
    }

    private static Task<LibraryApp> StartAsync(bool includeRoles, bool withRoles = false, Action<JwtDevicesEvents>? events = null) =>
        LibraryApp.StartAsync(
            authentication => authentication.AddJwtDevices(options =>
            {
                options.SigningKey = ServerFactory.SigningKey;
                options.IncludeRoles = includeRoles;
                events?.Invoke(options.Events);
            }),
            withRoles: withRoles,
            mapMore: endpoints =>
            {
                endpoints.MapGet("/whoami", async (ClaimsPrincipal principal, UserManager<IdentityUser> users) => new
                {
                    GetUserId = users.GetUserId(principal),
                    GetUserAsync = (await users.GetUserAsync(principal))?.UserName,
                    GetUserName = users.GetUserName(principal),
                    IdentityName = principal.Identity?.Name,
                    UserIdClaim = principal.FindFirstValue(JwtDevicesClaimTypes.UserId),
                }).RequireAuthorization();
                endpoints.MapGet("/admin", [Authorize(Roles = "admin")] () => "admin");
                endpoints.MapGet("/principal", (ClaimsPrincipal principal) => new
                {
                    Identity = string.Join(' ', principal.Identity!.GetType().Name, principal.Identity.AuthenticationType, principal.Identity.Name,
                        string.Join(',', s_roles.Where(principal.IsInRole))),
                    Claims = principal.Claims.Select(claim => $"{claim.Type}={claim.Value}").Order().ToArray(),
                }).RequireAuthorization();
            });

    private static JsonElement Payload(string token) => JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[1])).RootElement;

    private static string[] PayloadKeys(string token) => Payload(token).Keys();
}
