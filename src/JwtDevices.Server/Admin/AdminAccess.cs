using System.Security.Claims;
using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Identity;

namespace JwtDevices.Server.Admin;

/// <summary>
/// Whether the caller is an administrator. The role is read from the database on each admin request, not
/// from the JWT, so that taking the role away takes effect at once; admin requests are rare enough for that.
/// A locked-out user is no administrator, whatever their role: a lock set without revoking their devices
/// leaves their JWTs alive until they expire.
/// </summary>
internal static class AdminAccess
{
    public static Task<bool> IsAdminAsync(ClaimsPrincipal principal, UserManager<ServerUser> users) =>
        IsAdminAsync(principal.FindFirstValue(JwtDevicesClaimTypes.UserId), users);

    /// <summary>Whether the user of this id (the JWT's <c>user_id</c>) is an administrator now.</summary>
    public static async Task<bool> IsAdminAsync(string? userId, UserManager<ServerUser> users)
    {
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        return user is not null
            && !(users.SupportsUserLockout && await users.IsLockedOutAsync(user))
            && await users.IsInRoleAsync(user, ServerRoles.Admin);
    }

    /// <summary>Refuses an authenticated caller who is not an administrator with 403.</summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var users = context.RequestServices.GetRequiredService<UserManager<ServerUser>>();
        return await IsAdminAsync(context.User, users) ? await next(invocation) : JwtDevicesProblems.Forbidden();
    }
}
