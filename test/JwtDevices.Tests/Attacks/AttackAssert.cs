using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using JwtDevices.Endpoints;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Attacks;

/// <summary>Asserts that a forged token gets nowhere: 401 on every authenticated endpoint, nothing stored changed.</summary>
internal static class AttackAssert
{
    /// <summary>
    /// Sends <paramref name="token"/> (as <c>Bearer</c> and as <c>JWT</c>) to every method of every endpoint
    /// that requires authentication, aimed at the victim's device; asserts each answer is a 401 with an
    /// RFC 6750 challenge and nothing of the server's insides, that no stored row changed, and that the
    /// scene's genuine tokens still work (so the refusals came from the forgery) unless they expired with it.
    /// </summary>
    public static async Task RefusedEverywhereAsync(ServerFactory server, AttackScene scene, string token, bool genuineTokensLive = true)
    {
        var endpoints = MappedEndpoint.Authenticated(server);
        Assert.Contains(endpoints, endpoint => endpoint.ToString() == "GET /me");
        Assert.Contains(endpoints, endpoint => endpoint.ToString() == "DELETE /devices/{id}/");
        var before = await StoredData.ReadAsync(server);
        var client = server.CreateClient();

        foreach (var scheme in new[] { "Bearer", "JWT" })
        {
            foreach (var endpoint in endpoints)
            {
                using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path(_ => scene.VictimDeviceId));
                request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}");
                request.Headers.TryAddWithoutValidation("Device-Id", scene.VictimDeviceId);
                if (endpoint.Method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = JsonContent.Create(new { name = "taken over" });
                }

                using var response = await client.SendAsync(request);

                await IsChallengeAsync(response, $"{scheme} to {endpoint}");
            }
        }

        await StoredData.AssertUnchangedAsync(server, before);
        if (!genuineTokensLive)
        {
            return;
        }
        foreach (var genuine in new[] { scene.Attacker, scene.AttackerOther, scene.Victim })
        {
            Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", genuine.Token));
        }
    }

    /// <summary>Asserts a 401 problem with code <c>invalid_token</c> and a Bearer <c>invalid_token</c> challenge.</summary>
    public static async Task IsChallengeAsync(HttpResponseMessage response, string what)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized,
            string.Create(CultureInfo.InvariantCulture, $"{what}: expected 401, got {(int)response.StatusCode}"));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, JwtDevicesErrors.InvalidToken);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.StartsWith("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        ProblemAssert.HasNoInternals(challenge.Parameter!);
    }
}
