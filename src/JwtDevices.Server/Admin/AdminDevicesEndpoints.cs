using System.Globalization;
using JwtDevices.Devices;
using JwtDevices.Endpoints;
using JwtDevices.Revocation;
using JwtDevices.Server.Data;
using JwtDevices.Server.Pages;
using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JwtDevices.Server.Admin;

/// <summary>
/// <c>/admin/devices</c> (the page) and its JSON endpoints, <c>GET /admin/devices/?search=&amp;page=</c> and
/// <c>DELETE /admin/devices/{id}/</c>, which only administrators may use.
/// </summary>
internal static class AdminDevicesEndpoints
{
    private const string PageFile = "admin/devices.html";

    public static void MapAdminDevices(this IEndpointRouteBuilder endpoints)
    {
        var authenticated = new AuthorizationPolicyBuilder(JwtDevicesDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build();
        // Routing ignores a trailing slash, so the page and the list share one endpoint: the slash tells them apart.
        endpoints.MapGet("/admin/devices/", ListOrPageAsync)
            .AddEndpointFilter<StoreOutageFilter>()
            .AllowAnonymous()
            .ExcludeFromDescription();
        endpoints.MapDelete("/admin/devices/{id}/", RevokeAsync)
            .RequireAuthorization(authenticated)
            .AddEndpointFilter<StoreOutageFilter>()
            .AddEndpointFilter(AdminAccess.FilterAsync)
            .ExcludeFromDescription();
    }

    private static async Task<IResult> ListOrPageAsync(HttpContext context, IWebHostEnvironment environment)
    {
        if (!context.Request.Path.Value!.EndsWith('/'))
        {
            PageSecurityHeaders.Apply(context.Response);
            var file = environment.WebRootFileProvider.GetFileInfo(PageFile);
            return file.Exists ? TypedResults.Stream(file.CreateReadStream(), "text/html; charset=utf-8") : TypedResults.NotFound();
        }

        var result = await context.AuthenticateAsync(JwtDevicesDefaults.AuthenticationScheme);
        if (!result.Succeeded)
        {
            return TypedResults.Challenge(authenticationSchemes: [JwtDevicesDefaults.AuthenticationScheme]);
        }
        context.User = result.Principal;
        var users = context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ServerUser>>();
        if (!await AdminAccess.IsAdminAsync(result.Principal, users))
        {
            return JwtDevicesProblems.Forbidden();
        }
        var (query, problem) = AdminDeviceQuery.Read(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        var db = context.RequestServices.GetRequiredService<ServerDbContext>();
        var page = await query!.RunAsync(db, context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(page, PagesJsonContext.Default.AdminDevicePage);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        HttpContext context, IDeviceRevocationService revocations, string id)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var deviceId))
        {
            return JwtDevicesProblems.DeviceNotFound();
        }
        var revoked = await revocations.RevokeAsync(deviceId, null, DeviceRevocationReason.RevokedByAdministrator, context.RequestAborted);
        return revoked ? TypedResults.NoContent() : JwtDevicesProblems.DeviceNotFound();
    }
}
