using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>The calls of a client that holds a DPoP key, over the test server's HTTP pipeline.</summary>
public static class DpopClient
{
    /// <summary>Logs in with a proof by <paramref name="key"/> (none when null) made at the server's time.</summary>
    public static async Task<HttpResponseMessage> PostDpopLoginAsync(this HttpClient client, ServerFactory server, string username, DpopKey? key,
        string? proof = null, string password = "password123", string deviceModel = "Pixel", string userAgent = "agent")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth-token/") { Content = JsonContent.Create(new { username, password }) };
        request.Headers.TryAddWithoutValidation("X-Device-Model", deviceModel);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (proof is not null || key is not null)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof ?? key!.Proof("POST", "/auth-token/", server.Time.GetUtcNow()));
        }
        return await client.SendAsync(request);
    }

    /// <summary>Logs in bound to <paramref name="key"/>; asserts 200.</summary>
    public static async Task<ApiClient.Login> DpopLoginAsync(this HttpClient client, ServerFactory server, string username, DpopKey key)
    {
        using var response = await client.PostDpopLoginAsync(server, username, key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new ApiClient.Login(body.GetProperty("token").GetString()!, body.GetProperty("permanent_token").GetString(),
            body.GetProperty("device_id").GetInt64(), body);
    }

    /// <summary>Refreshes with the permanent token and, when given, this DPoP header.</summary>
    public static Task<HttpResponseMessage> DpopRefreshAsync(this HttpClient client, string permanentToken, string? proof)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/device-refresh-token/");
        request.Headers.TryAddWithoutValidation("Permanent-Token", permanentToken);
        if (proof is not null)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }
        return client.SendAsync(request);
    }

    /// <summary>A request with <c>Authorization: DPoP</c> (or <paramref name="scheme"/>) and, when given, this DPoP header.</summary>
    public static Task<HttpResponseMessage> SendBoundAsync(this HttpClient client, HttpMethod method, string path, string token, string? proof,
        string scheme = "DPoP")
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        if (proof is not null)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }
        return client.SendAsync(request);
    }

    /// <summary>A bound request with a fresh, correct proof by <paramref name="key"/>.</summary>
    public static Task<HttpResponseMessage> SendBoundAsync(this HttpClient client, ServerFactory server, DpopKey key, HttpMethod method, string path, string token) =>
        client.SendBoundAsync(method, path, token, key.Proof(method.Method, path, server.Time.GetUtcNow(), token));

    /// <summary>Asserts a 400 whose problem's <c>code</c> and <c>error</c> are <paramref name="error"/>.</summary>
    public static async Task AssertTokenEndpointRefusalAsync(HttpResponseMessage response, string error, string what = "")
    {
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: expected 400, got {(int)response.StatusCode}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Equal(error, body.GetProperty("code").GetString());
    }

    /// <summary>Asserts a 401 whose challenge is <c>DPoP error="<paramref name="error"/>"</c> with the algorithms.</summary>
    public static void AssertDpopChallenge(HttpResponseMessage response, string error, string what = "")
    {
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: expected 401, got {(int)response.StatusCode}");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("DPoP", challenge.Scheme);
        Assert.StartsWith($"error=\"{error}\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("algs=\"ES256 ", challenge.Parameter, StringComparison.Ordinal);
    }
}
