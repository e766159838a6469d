using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests.Client;

/// <summary>
/// A stand-in for a DPoP-binding JwtDevices server, below the client (its backchannel and its handler's inner
/// handler): it keeps the wire contract (log-in and refresh answers with <c>token_type</c>, <c>DPoP</c> resource
/// requests, nonces) and checks every proof with <see cref="DpopProofChecker"/>, recording what it saw.
/// </summary>
public sealed class FakeDpopServer(FakeTimeProvider time) : HttpMessageHandler
{
    public static readonly Uri BaseUrl = new("https://api.example.test/");
    private int _issued;
    private string? _boundTo;
    private string? _currentToken;

    /// <summary>Whether the server binds a device whose log-in carries a proof (false: as a server with DPoP disabled).</summary>
    public bool Binds { get; init; } = true;

    /// <summary>Whether every proof must carry the current nonce.</summary>
    public bool RequiresNonce { get; init; }

    public string Nonce { get; set; } = "nonce-1";

    /// <summary>Makes refreshes fail as for a device logged out elsewhere.</summary>
    public bool DeviceEnded { get; set; }

    public ConcurrentQueue<Seen> Requests { get; } = new();

    public IEnumerable<Seen> To(string path) => Requests.Where(seen => seen.Uri.AbsolutePath == path);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var proofHeader = request.Headers.TryGetValues("DPoP", out var values) ? values.Single() : null;
        var proof = proofHeader is null ? null : await DpopProofChecker.CheckAsync(proofHeader);
        Requests.Enqueue(new Seen(request.Method, request.RequestUri!, request.Headers.Authorization, proof));
        var answer = (request.Method.Method, request.RequestUri!.AbsolutePath) switch
        {
            ("POST", "/auth-token/") => LogIn(proof),
            ("POST", "/device-refresh-token/") => Refresh(proof),
            ("DELETE", "/device-logout/") => Resource(request.Headers.Authorization, proof, () => new HttpResponseMessage(HttpStatusCode.NoContent)),
            ("GET", "/me") => Resource(request.Headers.Authorization, proof, () => Json(HttpStatusCode.OK, new { user = "alice" })),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound),
        };
        if (RequiresNonce)
        {
            answer.Headers.TryAddWithoutValidation("DPoP-Nonce", Nonce);
        }
        answer.RequestMessage = request;
        return answer;
    }

    private HttpResponseMessage LogIn(CheckedProof? proof)
    {
        if (proof is not null && NeedsNonce(proof))
        {
            return Json(HttpStatusCode.BadRequest, new { error = "use_dpop_nonce" });
        }
        _boundTo = Binds ? proof?.Thumbprint : null;
        return Json(HttpStatusCode.OK, TokenAnswer(new Dictionary<string, object> { ["permanent_token"] = "permanent-1", ["device_id"] = 7 }));
    }

    private HttpResponseMessage Refresh(CheckedProof? proof)
    {
        if (DeviceEnded)
        {
            return Json(HttpStatusCode.BadRequest, new { code = "invalid_permanent_token" });
        }
        if (_boundTo is not null)
        {
            if (proof is null || proof.Thumbprint != _boundTo)
            {
                return Json(HttpStatusCode.BadRequest, new { error = "invalid_dpop_proof" });
            }
            if (NeedsNonce(proof))
            {
                return Json(HttpStatusCode.BadRequest, new { error = "use_dpop_nonce" });
            }
        }
        return Json(HttpStatusCode.OK, TokenAnswer([]));
    }

    private HttpResponseMessage Resource(AuthenticationHeaderValue? authorization, CheckedProof? proof, Func<HttpResponseMessage> answer)
    {
        var scheme = _boundTo is null ? "Bearer" : "DPoP";
        if (authorization?.Scheme != scheme || authorization.Parameter != _currentToken)
        {
            return Unauthorized("invalid_token");
        }
        if (_boundTo is not null)
        {
            if (proof is null || proof.Thumbprint != _boundTo || proof.Ath != DpopProofChecker.Ath(_currentToken!))
            {
                return Unauthorized("invalid_dpop_proof");
            }
            if (NeedsNonce(proof))
            {
                return Unauthorized("use_dpop_nonce");
            }
        }
        return answer();
    }

    private bool NeedsNonce(CheckedProof proof) => RequiresNonce && proof.Nonce != Nonce;

    private Dictionary<string, object> TokenAnswer(Dictionary<string, object> answer)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var payload = JsonSerializer.Serialize(new { iat = now, exp = now + 300, n = Interlocked.Increment(ref _issued) });
        _currentToken = "eyJhbGciOiJIUzI1NiJ9." + Base64UrlEncoder.Encode(payload) + ".signature";
        answer["token"] = _currentToken;
        if (_boundTo is not null)
        {
            answer["token_type"] = "DPoP";
        }
        return answer;
    }

    private static HttpResponseMessage Unauthorized(string error)
    {
        var answer = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        answer.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("DPoP", $"error=\"{error}\", algs=\"ES256\""));
        return answer;
    }

    private static HttpResponseMessage Json(HttpStatusCode status, object body) => new(status)
    {
        Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
    };

    public sealed record Seen(HttpMethod Method, Uri Uri, AuthenticationHeaderValue? Authorization, CheckedProof? Proof);
}
