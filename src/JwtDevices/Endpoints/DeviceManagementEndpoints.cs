using System.Globalization;
using System.Security.Claims;
using JwtDevices.Devices;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace JwtDevices.Endpoints;

/// <summary>
/// The endpoints beyond the seed that let a user manage their devices: sign out everywhere, sign out the
/// others, read the current device, rename a device.
/// </summary>
internal static class DeviceManagementEndpoints
{
    public static void Map(RouteGroupBuilder group, AuthorizationPolicy authenticated)
    {
        group.MapPost("/device-logout-all/", LogOutAllAsync)
            .DisableAntiforgery()
            .RequireAuthorization(authenticated);
        group.MapPost("/device-logout-others/", LogOutOthersAsync)
            .DisableAntiforgery()
            .RequireAuthorization(authenticated);
        group.MapGet("/devices/current/", CurrentDeviceAsync)
            .RequireAuthorization(authenticated);
        group.MapPatch("/devices/{id}/", RenameAsync)
            .DisableAntiforgery()
            .RequireAuthorization(authenticated);
    }

    private static async Task<NoContent> LogOutAllAsync(HttpContext context, DeviceService devices)
    {
        await devices.LogOutAllAsync(JwtDevicesEndpointRouteBuilderExtensions.UserId(context.User), context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> LogOutOthersAsync(HttpContext context, DeviceService devices)
    {
        // In plain JWT mode there is no current device, and no device to keep: 0 is never a device id.
        var current = CurrentDeviceId(context.User) ?? 0;
        await devices.LogOutOthersAsync(JwtDevicesEndpointRouteBuilderExtensions.UserId(context.User), current, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Results<JsonHttpResult<DeviceResponse>, ProblemHttpResult>> CurrentDeviceAsync(
        HttpContext context, DeviceService devices)
    {
        var device = CurrentDeviceId(context.User) is { } id
            ? await devices.FindAsync(id, JwtDevicesEndpointRouteBuilderExtensions.UserId(context.User), context.RequestAborted)
            : null;
        return device is null
            ? JwtDevicesProblems.DeviceNotFound()
            : TypedResults.Json(DeviceResponse.From(device), JwtDevicesJsonContext.Default.DeviceResponse);
    }

    private static async Task<Results<JsonHttpResult<DeviceResponse>, ValidationProblem, ProblemHttpResult>> RenameAsync(
        HttpContext context, DeviceService devices, string id)
    {
        if (!JwtDevicesEndpointRouteBuilderExtensions.TryParseDeviceId(id, out var deviceId))
        {
            return JwtDevicesProblems.DeviceNotFound();
        }
        var (name, problem) = await RenameForm.ReadAsync(context.Request, context.RequestAborted);
        switch (problem)
        {
            case ValidationProblem validation: return validation;
            case ProblemHttpResult other: return other;
        }
        var device = await devices.RenameAsync(deviceId, JwtDevicesEndpointRouteBuilderExtensions.UserId(context.User), name!, context.RequestAborted);
        return device is null
            ? JwtDevicesProblems.DeviceNotFound()
            : TypedResults.Json(DeviceResponse.From(device), JwtDevicesJsonContext.Default.DeviceResponse);
    }

    private static long? CurrentDeviceId(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(JwtDevicesClaimTypes.DeviceId), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
}
