using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace JwtDevices.FaultDrill;

/// <summary>An answer as the drill reads it: the status (0 when none came), the problem's <c>code</c>, and the JSON body.</summary>
internal sealed record Answer(ServerNode Node, int Status, string? Code, JsonElement Body)
{
    public string Text(string property) => Body.GetProperty(property).GetString()!;
}

/// <summary>Sends the drill's requests and writes each one into the ledger.</summary>
internal sealed class DrillHttp(HttpClient http, Ledger ledger, IReadOnlyList<ServerNode> nodes)
{
    public IReadOnlyList<ServerNode> Nodes => nodes;

    public ServerNode AnyNode() => nodes[Random.Shared.Next(nodes.Count)];

    public ServerNode Other(ServerNode node) => nodes[0] == node ? nodes[1] : nodes[0];

    public Task<Answer> LogInAsync(ServerNode node, string user, string password) =>
        SendAsync(Operation.LogIn, node, HttpMethod.Post, "/auth-token/", request =>
        {
            request.Content = JsonContent($$"""{"username":{{JsonSerializer.Serialize(user)}},"password":{{JsonSerializer.Serialize(password)}}}""");
            request.Headers.Add("X-Device-Model", "fault-drill");
        });

    public Task<Answer> RefreshAsync(ServerNode node, string permanentToken, Operation operation = Operation.Refresh) =>
        SendAsync(operation, node, HttpMethod.Post, "/device-refresh-token/", request => request.Headers.Add("Permanent-Token", permanentToken));

    public Task<Answer> MeAsync(ServerNode node, string jwt, Operation operation = Operation.Me) =>
        SendAsync(operation, node, HttpMethod.Get, "/me", request => request.Headers.Authorization = new AuthenticationHeaderValue("JWT", jwt));

    public Task<Answer> LogOutAsync(ServerNode node, DeviceRecord device) =>
        SendAsync(Operation.LogOut, node, HttpMethod.Delete, "/device-logout/", request =>
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("JWT", device.Jwt);
            request.Headers.Add("Device-Id", device.Id.ToString(CultureInfo.InvariantCulture));
        });

    private async Task<Answer> SendAsync(Operation operation, ServerNode node, HttpMethod method, string path, Action<HttpRequestMessage> prepare)
    {
        using var request = new HttpRequestMessage(method, new Uri(node.BaseAddress, path));
        prepare(request);
        var sent = ledger.Now;
        Answer answer;
        try
        {
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var json = body.Length > 0 && body[0] is '{' or '[' ? JsonDocument.Parse(body).RootElement.Clone() : default;
            var code = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("code", out var value) ? value.GetString() : null;
            answer = new Answer(node, (int)response.StatusCode, code, json);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
        {
            answer = new Answer(node, 0, exception.GetType().Name, default);
        }
        ledger.Exchanges.Enqueue(new Exchange(operation, node.Name, sent, ledger.Now, answer.Status, answer.Code));
        return answer;
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
