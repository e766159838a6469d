using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>The calls a client of the seed makes, over the test server's HTTP pipeline.</summary>
public static class ApiClient
{
    public sealed record Login(string Token, string? PermanentToken, long? DeviceId, JsonElement Body);

    public static async Task<HttpResponseMessage> PostLoginAsync(
        this HttpClient client, string username, string password, string? deviceModel = null, string? userAgent = "agent")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth-token/")
        {
            Content = JsonContent.Create(new { username, password }),
        };
        if (deviceModel is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Device-Model", deviceModel);
        }
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }
        return await client.SendAsync(request);
    }

    public static async Task<Login> LoginAsync(
        this HttpClient client, string username, string password = "password123", string? deviceModel = "Nokia", string? userAgent = "agent")
    {
        using var response = await client.PostLoginAsync(username, password, deviceModel, userAgent);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Login(
            body.GetProperty("token").GetString()!,
            body.TryGetProperty("permanent_token", out var permanent) ? permanent.GetString() : null,
            body.TryGetProperty("device_id", out var device) ? device.GetInt64() : null,
            body);
    }

    public static Task<HttpResponseMessage> SendWithTokenAsync(
        this HttpClient client, HttpMethod method, string path, string? token, string scheme = "JWT",
        params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return client.SendAsync(request);
    }

    /// <summary>Only the status of a request with a JWT: for probes that care about nothing else.</summary>
    public static async Task<System.Net.HttpStatusCode> StatusOfAsync(this HttpClient client, HttpMethod method, string path, string? token)
    {
        using var response = await client.SendWithTokenAsync(method, path, token);
        return response.StatusCode;
    }

    public static Task<HttpResponseMessage> RefreshAsync(this HttpClient client, string? permanentToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/device-refresh-token/");
        if (permanentToken is not null)
        {
            request.Headers.TryAddWithoutValidation("Permanent-Token", permanentToken);
        }
        return client.SendAsync(request);
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The property names of a JSON object, sorted, to compare key sets exactly.</summary>
    public static string[] Keys(this JsonElement element) =>
        element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
}
