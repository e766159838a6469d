using System.Text.Json.Serialization;
using JwtDevices.Devices;
using JwtDevices.Endpoints;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JwtDevices.Server.Endpoints;

/// <summary>
/// <c>GET /me/devices/</c>: the caller's devices as the seed's <c>GET /devices/</c> lists them, plus <c>key_bound</c> and
/// <c>key_binding</c> (<c>DPoP</c> or <c>DBSC</c>), which the devices page shows. A path of its own, not a field the seed's list grows on some requests: seed clients
/// keep exactly the seed's answer there, the page needs no way to be told apart, and each path has one shape in OpenAPI.
/// </summary>
internal static class MyDevicesEndpoint
{
    public static RouteHandlerBuilder MapMyDevices(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/me/devices/", ListAsync)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = JwtDevicesDefaults.AuthenticationScheme })
            .AddEndpointFilter<StoreOutageFilter>()
            .WithName("ListMyDevices")
            .WithSummary("Lists the caller's devices, by id, in the shape of GET /devices/ plus key_bound and key_binding: whether the device is bound to a key, and how (DPoP or DBSC).")
            .WithTags("Server")
            .Produces<MyDevice[]>(StatusCodes.Status200OK, "application/json")
            // A Permanent-Token header sent here is refused, as everywhere but the refresh endpoint.
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<JsonHttpResult<MyDevice[]>> ListAsync(HttpContext context, DeviceService devices)
    {
        var list = await devices.ListAsync(JwtDevicesEndpointRouteBuilderExtensions.UserId(context.User), context.RequestAborted);
        return TypedResults.Json(list.Select(MyDevice.From).ToArray(), ServerJsonContext.Default.MyDeviceArray);
    }
}

/// <summary>One of the caller's devices, as <c>GET /me/devices/</c> lists it; times are UTC.</summary>
internal sealed record MyDevice(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("created")] DateTime Created,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("details")] string Details,
    [property: JsonPropertyName("last_request_datetime")] DateTime LastRequestDatetime,
    [property: JsonPropertyName("key_bound")] bool KeyBound,
    [property: JsonPropertyName("key_binding")] string? KeyBinding)
{
    // The seed list's fields come from the seed list's own mapping, so the two never drift apart.
    public static MyDevice From(Device device)
    {
        var seed = DeviceResponse.From(device);
        return new(seed.Id, seed.Created, seed.Name, seed.Details, seed.LastRequestDatetime, device.DpopKeyThumbprint is not null,
            device.DpopKeyThumbprint is null ? null : device.DbscPublicKey is null ? "DPoP" : "DBSC");
    }
}
