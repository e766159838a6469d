using System.Text.Json.Serialization;

namespace JwtDevices.Endpoints;

/// <summary>The JSON body of a log-in.</summary>
internal sealed record LoginRequest(string? Username, string? Password);

/// <summary>The answer to a log-in; the permanent token and device id are left out in plain JWT mode.</summary>
internal sealed record LoginResponse(
    string Token,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PermanentToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? DeviceId);

/// <summary>The answer to a refresh.</summary>
internal sealed record TokenResponse(string Token);

/// <summary>A device as the device list shows it; times are UTC.</summary>
internal sealed record DeviceResponse(long Id, DateTime Created, string Name, string Details, DateTime LastRequestDatetime)
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
internal sealed record RenameRequest(string? Name);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(DeviceResponse[]))]
[JsonSerializable(typeof(DeviceResponse))]
[JsonSerializable(typeof(RenameRequest))]
internal sealed partial class JwtDevicesJsonContext : JsonSerializerContext;
