using System.Text.Json.Serialization;

namespace JwtDevices.Client;

/// <summary>The server's JSON (snake_case), read and written without reflection, so trimmed and AOT apps work.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(TokenAnswer))]
[JsonSerializable(typeof(ProblemAnswer))]
[JsonSerializable(typeof(RenameRequest))]
[JsonSerializable(typeof(JwtDevicesDevice))]
[JsonSerializable(typeof(List<JwtDevicesDevice>))]
[JsonSerializable(typeof(StoredTokenFile))]
[JsonSerializable(typeof(JwtClaims))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;

internal sealed record LoginRequest(string Username, string Password);

internal sealed record RenameRequest(string Name);

/// <summary>The answer of log-in and refresh: a JWT, and a permanent token from log-in or a rotating refresh.</summary>
internal sealed record TokenAnswer(string? Token, string? PermanentToken, long? DeviceId, string? TokenType);

/// <summary>The part of the server's error answers the client acts on: problem details' <c>code</c>, or an OAuth-style <c>error</c> (DPoP).</summary>
internal sealed record ProblemAnswer(string? Code, string? Title, string? Error);

/// <summary>
/// The file of <see cref="FileJwtDevicesTokenStore"/>: the permanent token, the device id and, for a bound device,
/// the DPoP private key as base64 PKCS#8.
/// </summary>
internal sealed record StoredTokenFile(string PermanentToken, long DeviceId, string? DpopKey);

/// <summary>The JWT claims the client reads to know when to refresh.</summary>
internal sealed record JwtClaims(long? Exp, long? Iat);
