using System.Globalization;
using JwtDevices.Devices;
using JwtDevices.Endpoints;
using JwtDevices.Revocation;
using JwtDevices.Server.Data;
using JwtDevices.Server.Pages;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JwtDevices.Server.Admin;

/// <summary>
/// The admin JSON endpoints, <c>GET /admin/devices/?search=&amp;page=&amp;seen_from=&amp;seen_to=</c> and
/// <c>DELETE /admin/devices/{id}/</c>, which only administrators may use. A browser that opens these
/// addresses gets the admin page instead (<see cref="AdminPage"/>).
/// </summary>
internal static class AdminDevicesEndpoints
{
    public const string ListOperation = "ListAllDevices";

    public const string Tag = "Administration";

    public static void MapAdminDevices(this IEndpointRouteBuilder endpoints)
    {
        var authenticated = new AuthorizationPolicyBuilder(JwtDevicesDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build();
        endpoints.MapGet("/admin/devices/", ListAsync)
            .RequireAuthorization(authenticated)
            .AddEndpointFilter<StoreOutageFilter>()
            .AddEndpointFilter(AdminAccess.FilterAsync)
            .WithName(ListOperation)
            .WithTags(Tag)
            .WithSummary("Lists every user's devices, with their users, 20 a page, last seen first.")
            .WithDescription("For users in the `admin` role. 400: a bad `page`, date or search (`invalid_query`); "
                + "403: not an administrator, or locked out (`forbidden`).")
            .Produces<AdminDevicePage>(StatusCodes.Status200OK, "application/json")
            .ProducesAdministrative();
        endpoints.MapDelete("/admin/devices/{id}/", RevokeAsync)
            .RequireAuthorization(authenticated)
            .AddEndpointFilter<StoreOutageFilter>()
            .AddEndpointFilter(AdminAccess.FilterAsync)
            .WithName("RevokeAnyDevice")
            .WithTags(Tag)
            .WithSummary("Ends any user's device, on every node.")
            .WithDescription("For users in the `admin` role. 404: no such device; 403: not an administrator, or locked out (`forbidden`).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesAdministrative();
    }

    // The query reads itself and answers a problem naming the bad parameter; the statuses are listed above.
    private static async Task<IResult> ListAsync(HttpContext context, ServerDbContext db)
    {
        var (query, problem) = AdminDeviceQuery.Read(context.Request);
        if (problem is not null)
        {
            return problem;
        }
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

    // 400 covers a stray Permanent-Token header as well as bad input.
    private static RouteHandlerBuilder ProducesAdministrative(this RouteHandlerBuilder builder) => builder
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
