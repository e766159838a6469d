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
[JsonSerializable(typeof(JwtDevicesStoredToken))]
[JsonSerializable(typeof(JwtClaims))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;

internal sealed record LoginRequest(string Username, string Password);

internal sealed record RenameRequest(string Name);

/// <summary>The answer of log-in and refresh: a JWT, and a permanent token from log-in or a rotating refresh.</summary>
internal sealed record TokenAnswer(string? Token, string? PermanentToken, long? DeviceId);

/// <summary>The part of the server's problem details the client acts on.</summary>
internal sealed record ProblemAnswer(string? Code, string? Title);

/// <summary>The JWT claims the client reads to know when to refresh.</summary>
internal sealed record JwtClaims(long? Exp, long? Iat);
