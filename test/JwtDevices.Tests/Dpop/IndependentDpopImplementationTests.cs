using System.Diagnostics;
using System.Net;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Dpop;

/// <summary>
/// Proofs made by panva's <c>dpop</c> npm package (test/dpop-interop, installed with <c>npm ci</c>), an implementation
/// of RFC 9449 independent of ours, are accepted end to end: log-in, a request, a refresh and a request with the new token.
/// </summary>
[RequiresService(TestServices.DpopInterop)]
public sealed class IndependentDpopImplementationTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Fact]
    public async Task ProofsOfPanvasDpopPackage_LogInRequestAndRefresh()
    {
        await server.EnsureUserAsync("dpop_interop");
        // The package signs with the real clock; the server's fake one is brought to it.
        server.Time.SetUtcNow(DateTimeOffset.UtcNow);
        using var key = new DpopKey();
        var client = server.CreateClient();

        using var login = await client.PostDpopLoginAsync(server, "dpop_interop", null, await ProofAsync(key, "POST", "http://localhost/auth-token/"));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.ReadJsonAsync();
        Assert.Equal("DPoP", body.GetProperty("token_type").GetString());
        var token = body.GetProperty("token").GetString()!;
        Assert.Equal(key.Thumbprint, DpopKey.JktOf(token));

        using var me = await client.SendBoundAsync(HttpMethod.Get, "/me", token, await ProofAsync(key, "GET", "http://localhost/me", token));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(key.Thumbprint, (await me.ReadJsonAsync()).GetProperty("dpop_jkt").GetString());

        using var refreshed = await client.DpopRefreshAsync(body.GetProperty("permanent_token").GetString()!,
            await ProofAsync(key, "POST", "http://localhost/device-refresh-token/"));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var newToken = (await refreshed.ReadJsonAsync()).GetProperty("token").GetString()!;
        using var devices = await client.SendBoundAsync(HttpMethod.Get, "/devices/", newToken, await ProofAsync(key, "GET", "http://localhost/devices/", newToken));
        Assert.Equal(HttpStatusCode.OK, devices.StatusCode);
    }

    // One proof by the package (test/dpop-interop/proofs.mjs), signed with the test key given to it as a JWK.
    private static async Task<string> ProofAsync(DpopKey key, string htm, string htu, string? accessToken = null)
    {
        var directory = Repository.PathOf("test", "dpop-interop");
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "dpop")),
            "The dpop package is not installed: run `npm ci` in test/dpop-interop (.ci/run does).");
        var start = new ProcessStartInfo("node") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "proofs.mjs", key.PrivateJwk.ToJsonString(), htm, htu, accessToken ?? string.Empty })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await error);
        return (await output).Trim();
    }
}
