using System.Text.Json.Serialization;

namespace JwtDevices.Endpoints;

/// <summary>The JSON body of a log-in.</summary>
internal sealed record LoginRequest(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password);

/// <summary>
/// The answer to a log-in; the permanent token and device id are left out in plain JWT mode, the token type
/// (<c>DPoP</c>) unless the device is bound to a DPoP key.
/// </summary>
internal sealed record LoginResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("permanent_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PermanentToken,
    [property: JsonPropertyName("device_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? DeviceId,
    [property: JsonPropertyName("token_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenType = null);

/// <summary>
/// The answer to a refresh; with rotation on, it carries the permanent token's successor, and for a device bound to
/// a DPoP key the token type <c>DPoP</c>.
/// </summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("permanent_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PermanentToken = null,
    [property: JsonPropertyName("token_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TokenType = null);

/// <summary>A device as the device list shows it; times are UTC.</summary>
internal sealed record DeviceResponse(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("created")] DateTime Created,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("details")] string Details,
    [property: JsonPropertyName("last_request_datetime")] DateTime LastRequestDatetime)
{
    public static DeviceResponse From(Devices.Device device) =>
        new(device.Id, ToMicroseconds(device.Created), device.Name, device.Details, ToMicroseconds(device.LastRequest));

    // Django wrote microseconds; some clients' parsers take no more than six digits.
    private static DateTime ToMicroseconds(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);
    }
}

/// <summary>The JSON body of a rename.</summary>
internal sealed record RenameRequest([property: JsonPropertyName("name")] string? Name);

// The names are spelled out on each property too, so that OpenAPI, which describes these types with the
// application's JSON settings, shows the names on the wire.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(DeviceResponse[]))]
[JsonSerializable(typeof(DeviceResponse))]
[JsonSerializable(typeof(RenameRequest))]
internal sealed partial class JwtDevicesJsonContext : JsonSerializerContext;
