using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;

namespace JwtDevices.Server.Endpoints;

/// <summary><c>GET /me</c>: who the caller is, read from the token alone, to let a client check its session.</summary>
internal static class MeEndpoint
{
    public static RouteHandlerBuilder MapMe(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/me", (HttpContext context) => TypedResults.Json(Describe(context), ServerJsonContext.Default.MeResponse))
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = JwtDevicesDefaults.AuthenticationScheme })
            .WithName("Me")
            .WithSummary("Who the caller is, read from the token alone; device_id is null in plain JWT mode, dpop_jkt present only for a device bound to a DPoP key.")
            .WithTags("Server")
            .Produces<MeResponse>(StatusCodes.Status200OK, "application/json")
            // A Permanent-Token header sent here is refused, as everywhere but the refresh endpoint.
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

    private static MeResponse Describe(HttpContext context)
    {
        var user = context.User;
        var deviceId = user.FindFirstValue(JwtDevicesClaimTypes.DeviceId);
        return new MeResponse(
            long.Parse(user.FindFirstValue(JwtDevicesClaimTypes.UserId)!, CultureInfo.InvariantCulture),
            user.FindFirstValue(JwtDevicesClaimTypes.Username) ?? string.Empty,
            user.FindFirstValue(JwtDevicesClaimTypes.Email) ?? string.Empty,
            deviceId is null ? null : long.Parse(deviceId, CultureInfo.InvariantCulture),
            context.GetDpopKeyThumbprint());
    }
}

/// <summary>
/// The caller, as <c>GET /me</c> tells it; <c>device_id</c> is null in plain JWT mode; <c>dpop_jkt</c>, the thumbprint
/// of the DPoP key the device is bound to, is left out for an unbound device.
/// </summary>
internal sealed record MeResponse(
    [property: JsonPropertyName("user_id")] long UserId,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("device_id")] long? DeviceId,
    [property: JsonPropertyName("dpop_jkt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DpopJkt = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(MyDevice[]))]
[JsonSerializable(typeof(PasswordChangeRequest))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
