using System.Text.Json.Serialization;

namespace JwtDevices.Server.Admin;

// The names are spelled out, as the wire has them, for the OpenAPI document: it describes types with the
// framework's JSON options, not with the source-generated context that writes the answers.

/// <summary>One page of the admin device list.</summary>
internal sealed record AdminDevicePage(
    [property: JsonPropertyName("devices")] IReadOnlyList<AdminDevice> Devices,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("page_size")] int PageSize,
    [property: JsonPropertyName("total")] int Total);

/// <summary>A device with its user, as the admin list shows it; times are UTC.</summary>
internal sealed record AdminDevice(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("user_id")] long UserId,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("details")] string Details,
    [property: JsonPropertyName("created")] DateTime Created,
    [property: JsonPropertyName("last_request_datetime")] DateTime LastRequestDatetime,
    [property: JsonPropertyName("key_bound")] bool KeyBound,
    [property: JsonPropertyName("key_binding")] string? KeyBinding = null);
