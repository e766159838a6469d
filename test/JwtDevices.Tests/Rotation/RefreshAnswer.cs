using System.Net;
using System.Text.Json;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Rotation;

/// <summary>What a refresh answered: its status, its problem code, or its tokens.</summary>
public sealed record RefreshAnswer(HttpStatusCode Status, string? Code, string? Token, string? PermanentToken, string[] Keys)
{
    public static async Task<RefreshAnswer> OfAsync(HttpClient client, string? permanentToken)
    {
        using var response = await client.RefreshAsync(permanentToken);
        var body = await response.ReadJsonAsync();
        return new RefreshAnswer(
            response.StatusCode,
            Text(body, "code"),
            Text(body, "token"),
            Text(body, "permanent_token"),
            body.ValueKind == JsonValueKind.Object ? body.Keys() : []);
    }

    private static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
