using System.Net;
using System.Text.Json;

namespace JwtDevices.Client;

/// <summary>Reads what the client acts on in the server's answers: the problem-details <c>code</c> and <c>Retry-After</c>.</summary>
internal static class ServerAnswers
{
    /// <summary>
    /// The refresh codes after which no retry helps: the device is gone or may no longer renew itself. A refused
    /// DPoP proof at refresh is one: this client's key is not the device's (a store that lost or replaced it).
    /// </summary>
    private static readonly HashSet<string> s_deviceEnded = new(StringComparer.Ordinal)
    {
        "invalid_permanent_token", "expired_permanent_token", "permanent_token_reused", "credentials_changed", "inactive_user", "invalid_dpop_proof",
    };

    public static bool EndsDevice(string? code) => code is not null && s_deviceEnded.Contains(code);

    /// <summary>Answers worth another try: the server was busy, unavailable, or failed without telling why.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    /// <summary>Whether the server may have acted on a request it answered so (then a retry must be one it can repeat).</summary>
    public static bool MayHaveActed(HttpStatusCode status) =>
        status is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable);

    public static async Task<string?> ReadCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return null;
        }
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var problem = await JsonSerializer.DeserializeAsync(stream, ClientJsonContext.Default.ProblemAnswer, cancellationToken).ConfigureAwait(false);
            return problem?.Code ?? problem?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// A token endpoint's 400 <c>{"error": "use_dpop_nonce"}</c> with a <c>DPoP-Nonce</c> (RFC 9449 §8): the proof
    /// was good but lacked the server's nonce. The body is buffered, so that it can still be read afterwards.
    /// </summary>
    public static async Task<bool> AsksForNonceAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.Headers.Contains("DPoP-Nonce"))
        {
            return false;
        }
#if NET9_0_OR_GREATER
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
#else
        await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
#endif
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(bytes, ClientJsonContext.Default.ProblemAnswer) is { Error: "use_dpop_nonce" };
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    public static async Task<TokenAnswer> ReadTokenAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var answer = await JsonSerializer.DeserializeAsync(stream, ClientJsonContext.Default.TokenAnswer, cancellationToken).ConfigureAwait(false);
            if (answer?.Token is { Length: > 0 })
            {
                return answer;
            }
        }
        catch (JsonException)
        {
            // Reported below, without the body (it may hold a token).
        }
        throw new JwtDevicesClientException($"The server's {call} answer holds no token: is ServerAddress a JwtDevices server?", response.StatusCode);
    }
}
