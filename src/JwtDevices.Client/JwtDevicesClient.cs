using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JwtDevices.Client;

/// <summary>
/// The client of one signed-in user on one JwtDevices server: signs in, keeps the permanent token in its
/// <see cref="IJwtDevicesTokenStore"/>, and gives every request a fresh JWT through <see cref="CreateHandler()"/>.
/// At most one refresh runs at a time; concurrent requests wait for it. With rotation on, a successor permanent
/// token is saved before it is used, and a refresh whose answer was lost is retried with the same token. When the
/// server binds the device to a key (DPoP, RFC 9449), log-in, refresh and every request carry a proof by that key.
/// Thread-safe; make one per user and server and keep it.
/// </summary>
public sealed class JwtDevicesClient : IDisposable
{
    private readonly Func<HttpClient> _backchannel;
    private readonly JwtDevicesClientOptions _options;
    private readonly IJwtDevicesTokenStore _store;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly DpopNonces _nonces = new();
#if NET9_0_OR_GREATER
    private readonly Lock _gate = new();
#else
    private readonly object _gate = new();
#endif

    // Guarded by _gate. _session changes on every sign-in and sign-out, so that a refresh that straddles one
    // does not bring back what it replaced.
    private AccessToken? _access;
    private JwtDevicesStoredToken? _stored;
    private bool _loaded;
    private int _session;
    private Task<AccessToken>? _refresh;

    /// <summary>Creates a client that calls the server through <paramref name="backchannel"/> (an <see cref="HttpClient"/> without this client's handler).</summary>
    public JwtDevicesClient(HttpClient backchannel, JwtDevicesClientOptions options, ILogger<JwtDevicesClient>? logger = null)
        : this(() => backchannel, options, logger)
    {
        ArgumentNullException.ThrowIfNull(backchannel);
    }

    internal JwtDevicesClient(Func<HttpClient> backchannel, JwtDevicesClientOptions options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _backchannel = backchannel;
        _options = options;
        _store = options.TokenStore ?? new InMemoryJwtDevicesTokenStore();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Raised after each refresh, once the new JWT (and any successor permanent token) is in place.</summary>
    public event EventHandler<TokenRefreshedEventArgs>? TokenRefreshed;

    /// <summary>Raised once when the server ends the device (the store is already cleared): show the sign-in screen.</summary>
    public event EventHandler<SignInRequiredEventArgs>? SignInRequired;

    /// <summary>The signed-in device's id, once known.</summary>
    public long? DeviceId
    {
        get
        {
            lock (_gate)
            {
                return _stored?.DeviceId;
            }
        }
    }

    /// <summary>Whether the signed-in device is bound to this client's DPoP key (the server answered <c>"token_type": "DPoP"</c>).</summary>
    public bool IsBoundToKey
    {
        get
        {
            lock (_gate)
            {
                return (_stored?.DpopKey ?? _access?.DpopKey) is not null;
            }
        }
    }

    /// <summary>Whether this client holds a device (a saved permanent token) or an unexpired plain JWT.</summary>
    public async Task<bool> IsSignedInAsync(CancellationToken cancellationToken = default) =>
        await LoadStoredAsync(cancellationToken).ConfigureAwait(false) is not null || _access is not null;

    /// <summary>
    /// Logs in: the server creates a device named <paramref name="deviceModel"/> (sent as <c>X-Device-Model</c>),
    /// whose permanent token is saved in the store. Retries 429 and 503 within the client's bounds, never an
    /// answer that was lost (that would make a second device). With <see cref="JwtDevicesClientOptions.UseDpop"/> on, a
    /// new P-256 key signs a DPoP proof for the log-in, and the device stays bound to it if the server binds it.
    /// </summary>
    /// <exception cref="JwtDevicesClientException">The server refused the log-in; <see cref="JwtDevicesClientException.Code"/> says why (<c>invalid_credentials</c>, <c>device_limit_reached</c>...).</exception>
    /// <exception cref="JwtDevicesUnavailableException">The server stayed unreachable or busy.</exception>
    public async Task SignInAsync(string username, string password, string? deviceModel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        var key = _options.UseDpop ? DpopProof.CreateKey() : null;
        var loginUri = _options.Resolve(_options.LoginPath);
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, loginUri)
            {
                Content = JsonContent.Create(new LoginRequest(username, password), ClientJsonContext.Default.LoginRequest),
            };
            if (!string.IsNullOrEmpty(deviceModel))
            {
                request.Headers.TryAddWithoutValidation("X-Device-Model", deviceModel);
            }
            AddProof(request, key, accessToken: null);
            return request;
        }
        ECDsa?[] replaced;
        try
        {
            using var response = await SendTokenRequestAsync(Request, "sign-in", retryLostAnswers: false, key is not null, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var code = await ServerAnswers.ReadCodeAsync(response, cancellationToken).ConfigureAwait(false);
                throw new JwtDevicesClientException($"The server refused the sign-in ({(int)response.StatusCode} {code}).", response.StatusCode, code);
            }
            var answer = await ServerAnswers.ReadTokenAsync(response, "sign-in", cancellationToken).ConfigureAwait(false);
            if (!string.Equals(answer.TokenType, "DPoP", StringComparison.OrdinalIgnoreCase))
            {
                // The server did not bind the device (DPoP off there, or an older server): it works unbound, with no proofs.
                key?.Dispose();
                key = null;
            }
            var stored = answer is { PermanentToken: { Length: > 0 } permanent, DeviceId: { } deviceId }
                ? new JwtDevicesStoredToken(permanent, deviceId) { DpopKey = key }
                : null;
            if (stored is null)
            {
                await _store.ClearAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _store.SaveAsync(stored, cancellationToken).ConfigureAwait(false);
            }
            var access = AccessToken.Read(answer.Token!, _options.TimeProvider.GetUtcNow(), _options.RefreshMargin, key);
            lock (_gate)
            {
                replaced = [_stored?.DpopKey, _access?.DpopKey];
                _session++;
                _stored = stored;
                _loaded = true;
                _access = access;
            }
            Log.SignedIn(_logger, stored?.DeviceId, key is not null);
        }
        catch
        {
            key?.Dispose();
            throw;
        }
        // The device signed in before this one is left behind, and its key with it.
        DisposeKeys(replaced);
    }

    /// <summary>
    /// Logs this device out on the server (<c>DELETE /device-logout/</c>) and clears the store. The store is
    /// cleared even when the server cannot be told, in which case the exception says so and the device
    /// ends on the server after its inactivity lifetime.
    /// </summary>
    public async Task SignOutAsync(CancellationToken cancellationToken = default)
    {
        var stored = await LoadStoredAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (stored is not null)
            {
                using var response = await SendAuthorizedAsync(() =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Delete, _options.Resolve(_options.LogoutPath));
                    request.Headers.TryAddWithoutValidation("Device-Id", stored.DeviceId.ToString(CultureInfo.InvariantCulture));
                    return request;
                }, BackchannelSendAsync, cancellationToken).ConfigureAwait(false);
                // 404 and 401: the device had already ended.
                if (!response.IsSuccessStatusCode && response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Unauthorized))
                {
                    await ThrowRefusedAsync(response, "sign-out", cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (SignInRequiredException)
        {
            // Already ended on the server: what signing out wants.
        }
        finally
        {
            ECDsa?[] keys;
            lock (_gate)
            {
                keys = [_stored?.DpopKey, _access?.DpopKey];
                _session++;
                _stored = null;
                _access = null;
                _loaded = true;
            }
            await _store.ClearAsync(CancellationToken.None).ConfigureAwait(false);
            DisposeKeys(keys);
            Log.SignedOut(_logger, stored?.DeviceId);
        }
    }

    /// <summary>Logs out every other device of the user (<c>POST /device-logout-others/</c>); this one stays signed in.</summary>
    public async Task SignOutOtherDevicesAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAuthorizedAsync(
            () => new HttpRequestMessage(HttpMethod.Post, _options.Resolve(_options.LogoutOthersPath)), BackchannelSendAsync, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "sign-out of the other devices", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Logs out one device of the user (<c>DELETE /devices/{id}/</c>), such as a lost phone.</summary>
    public async Task SignOutDeviceAsync(long deviceId, CancellationToken cancellationToken = default)
    {
        using var response = await SendAuthorizedAsync(
            () => new HttpRequestMessage(HttpMethod.Delete, DeviceUri(deviceId)), BackchannelSendAsync, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "device sign-out", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user's devices (<c>GET /devices/</c>), by id.</summary>
    public async Task<IReadOnlyList<JwtDevicesDevice>> GetDevicesAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAuthorizedAsync(
            () => new HttpRequestMessage(HttpMethod.Get, _options.Resolve(_options.DevicesPath)), BackchannelSendAsync, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "device list", cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(ClientJsonContext.Default.ListJwtDevicesDevice, cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <summary>Renames one of the user's devices (<c>PATCH /devices/{id}/</c>); returns it as the server now lists it.</summary>
    public async Task<JwtDevicesDevice> RenameDeviceAsync(long deviceId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var response = await SendAuthorizedAsync(() => new HttpRequestMessage(HttpMethod.Patch, DeviceUri(deviceId))
        {
            Content = JsonContent.Create(new RenameRequest(name), ClientJsonContext.Default.RenameRequest),
        }, BackchannelSendAsync, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "rename", cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(ClientJsonContext.Default.JwtDevicesDevice, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>A JWT good for a request now, refreshed first when it is about to expire.</summary>
    /// <exception cref="SignInRequiredException">The device is gone; the store is cleared.</exception>
    /// <exception cref="JwtDevicesUnavailableException">The refresh could not reach the server within the client's bounds.</exception>
    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken = default) =>
        (await GetTokenAsync(refused: null, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>
    /// A handler that puts this client's JWT on every request, refreshing it before it expires and once on a 401.
    /// Set its <see cref="DelegatingHandler.InnerHandler"/>, or add it to an <c>IHttpClientFactory</c> client with
    /// <c>AddJwtDevicesHandler()</c>. It belongs to this client (this user) only.
    /// </summary>
    public DelegatingHandler CreateHandler() => new JwtDevicesClientHandler(this);

    /// <summary>A handler as <see cref="CreateHandler()"/>, sending through <paramref name="innerHandler"/>.</summary>
    public DelegatingHandler CreateHandler(HttpMessageHandler innerHandler) => new JwtDevicesClientHandler(this) { InnerHandler = innerHandler };

    /// <summary>Stops a refresh in flight; the client is of no further use.</summary>
    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    /// <summary>
    /// Sends a request with the JWT (and a DPoP proof for a bound device), once more with the server's new nonce
    /// when it asks for one, and once more with a renewed JWT after a 401. <paramref name="createRequest"/> gives
    /// the request to send (the same one again, for a handler).
    /// </summary>
    internal async Task<HttpResponseMessage> SendAuthorizedAsync(
        Func<HttpRequestMessage> createRequest, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var token = await GetTokenAsync(refused: null, cancellationToken).ConfigureAwait(false);
        var (request, response) = await SendWithTokenAsync(createRequest, token, send, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || DpopNonces.AsksForNonce(response) || !CanSendAgain(request))
        {
            return response;
        }
        response.Dispose();
        var renewed = await GetTokenAsync(refused: token, cancellationToken).ConfigureAwait(false);
        return (await SendWithTokenAsync(createRequest, renewed, send, cancellationToken).ConfigureAwait(false)).Response;
    }

    /// <summary>Whether the handler may put this client's tokens on a request to <paramref name="uri"/>.</summary>
    internal bool MayAuthorize(Uri? uri) => _options.IsAllowedOrigin(uri);

    /// <summary>Logs and describes a request the handler refuses to authorize (the message names the origin, never a path or query).</summary>
    internal InvalidOperationException OriginRefused(Uri? uri)
    {
        var origin = uri is { IsAbsoluteUri: true } ? DpopNonces.Origin(uri) : "a relative URI";
        Log.OriginRefused(_logger, origin);
        return new InvalidOperationException(
            $"The JwtDevices handler sends its access token only to {DpopNonces.Origin(_options.ServerAddress!)} and the origins in JwtDevicesClientOptions.AllowedOrigins, not to {origin}: " +
            "use an HttpClient without it for other hosts, or add the origin to AllowedOrigins if it accepts this server's tokens.");
    }

    /// <summary>Sends with <paramref name="token"/>; a bound device's request that the server answers with a nonce demand goes once more with it.</summary>
    private async Task<(HttpRequestMessage Request, HttpResponseMessage Response)> SendWithTokenAsync(
        Func<HttpRequestMessage> createRequest, AccessToken token, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var request = createRequest();
            if (token.DpopKey is { } key)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("DPoP", token.Value);
                AddProof(request, key, token.Value);
            }
            else
            {
                request.Headers.Authorization = new AuthenticationHeaderValue(_options.AuthorizationScheme, token.Value);
            }
            var response = await send(request, cancellationToken).ConfigureAwait(false);
            var freshNonce = _nonces.Remember(request.RequestUri!, response);
            if (attempt > 1 || token.DpopKey is null || !freshNonce || !DpopNonces.AsksForNonce(response) || !CanSendAgain(request))
            {
                return (request, response);
            }
            response.Dispose();
        }
    }

    /// <summary>Puts a fresh DPoP proof by <paramref name="key"/> on the request (replacing an earlier one), with the origin's latest nonce.</summary>
    private void AddProof(HttpRequestMessage request, ECDsa? key, string? accessToken)
    {
        if (key is null)
        {
            return;
        }
        var uri = request.RequestUri!;
        string proof;
        try
        {
            proof = DpopProof.Create(key, request.Method, uri, accessToken, _nonces.For(uri), _options.TimeProvider.GetUtcNow());
        }
        catch (ObjectDisposedException)
        {
            // The device was signed out (and its key discarded) while this request was on its way.
            throw new SignInRequiredException(SignInRequiredException.NotSignedIn);
        }
        request.Headers.Remove("DPoP");
        request.Headers.TryAddWithoutValidation("DPoP", proof);
    }

    /// <summary>
    /// Sends a log-in or refresh; when it carried a proof and the server answers 400 <c>use_dpop_nonce</c> with a
    /// nonce, once more with that nonce.
    /// </summary>
    private async Task<HttpResponseMessage> SendTokenRequestAsync(
        Func<HttpRequestMessage> createRequest, string call, bool retryLostAnswers, bool withProof, CancellationToken cancellationToken)
    {
        var response = await SendWithRetriesAsync(createRequest, call, retryLostAnswers, cancellationToken).ConfigureAwait(false);
        if (!withProof || response.StatusCode != HttpStatusCode.BadRequest || !await ServerAnswers.AsksForNonceAsync(response, cancellationToken).ConfigureAwait(false))
        {
            return response;
        }
        response.Dispose();
        return await SendWithRetriesAsync(createRequest, call, retryLostAnswers, cancellationToken).ConfigureAwait(false);
    }

    private static void DisposeKeys(ECDsa?[] keys)
    {
        foreach (var key in keys.Distinct())
        {
            key?.Dispose();
        }
    }

    /// <summary>
    /// The current JWT when it is fresh (and not the one the server just <paramref name="refused"/>); otherwise
    /// the result of the one refresh in flight, started here when none is.
    /// </summary>
    private async Task<AccessToken> GetTokenAsync(AccessToken? refused, CancellationToken cancellationToken)
    {
        Task<AccessToken> refresh;
        lock (_gate)
        {
            var current = _access;
            if (current is not null && (refused is null ? _options.TimeProvider.GetUtcNow() < current.RefreshAt : !ReferenceEquals(current, refused)))
            {
                return current;
            }
            if (_refresh is null || _refresh.IsCompleted)
            {
                _refresh = RefreshAsync(_session, _lifetime.Token);
            }
            refresh = _refresh;
        }
        // A caller that gives up leaves the refresh running for the others.
        return await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<AccessToken> RefreshAsync(int session, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var stored = await LoadStoredAsync(cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            // Plain JWT mode has nothing to refresh with: the session ends with its JWT.
            var hadSession = _access is not null;
            throw await EndSessionAsync(session, hadSession ? SignInRequiredException.AccessTokenExpired : SignInRequiredException.NotSignedIn, null, hadSession).ConfigureAwait(false);
        }
        using var response = await SendTokenRequestAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, _options.Resolve(_options.RefreshPath));
            request.Headers.TryAddWithoutValidation("Permanent-Token", stored.PermanentToken);
            AddProof(request, stored.DpopKey, accessToken: null);
            return request;
        }, "refresh", retryLostAnswers: true, stored.DpopKey is not null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var code = await ServerAnswers.ReadCodeAsync(response, cancellationToken).ConfigureAwait(false);
            if (ServerAnswers.EndsDevice(code))
            {
                throw await EndSessionAsync(session, code!, response.StatusCode, raise: true).ConfigureAwait(false);
            }
            throw new JwtDevicesClientException($"The server refused the refresh ({(int)response.StatusCode} {code}).", response.StatusCode, code);
        }
        var answer = await ServerAnswers.ReadTokenAsync(response, "refresh", cancellationToken).ConfigureAwait(false);
        var rotated = answer.PermanentToken is { Length: > 0 };
        var current = stored;
        if (rotated)
        {
            // Saved before the new JWT is used: were the process to die now, the next run holds the successor.
            // A failed save throws, and the next refresh presents the old token again, within the reuse interval.
            current = stored with { PermanentToken = answer.PermanentToken! };
            await _store.SaveAsync(current, CancellationToken.None).ConfigureAwait(false);
        }
        var access = AccessToken.Read(answer.Token!, _options.TimeProvider.GetUtcNow(), _options.RefreshMargin, current.DpopKey);
        lock (_gate)
        {
            if (session != _session)
            {
                throw new SignInRequiredException(SignInRequiredException.NotSignedIn);
            }
            _stored = current;
            _access = access;
        }
        Log.Refreshed(_logger, current.DeviceId, rotated);
        TokenRefreshed?.Invoke(this, new TokenRefreshedEventArgs(current.DeviceId, access.Expires, rotated));
        return access;
    }

    /// <summary>Forgets the device (once per session) and raises <see cref="SignInRequired"/>; returns the exception to throw.</summary>
    private async Task<SignInRequiredException> EndSessionAsync(int session, string code, HttpStatusCode? status, bool raise)
    {
        bool ended;
        long? deviceId;
        ECDsa?[] keys = [];
        lock (_gate)
        {
            ended = session == _session;
            deviceId = _stored?.DeviceId;
            if (ended)
            {
                keys = [_stored?.DpopKey, _access?.DpopKey];
                _session++;
                _stored = null;
                _access = null;
            }
        }
        if (ended && raise)
        {
            await _store.ClearAsync(CancellationToken.None).ConfigureAwait(false);
            Log.SignInRequired(_logger, deviceId, code);
            SignInRequired?.Invoke(this, new SignInRequiredEventArgs(code));
        }
        DisposeKeys(keys);
        return new SignInRequiredException(code, status);
    }

    private async ValueTask<JwtDevicesStoredToken?> LoadStoredAsync(CancellationToken cancellationToken)
    {
        int session;
        lock (_gate)
        {
            if (_loaded)
            {
                return _stored;
            }
            session = _session;
        }
        var stored = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_loaded && session == _session)
            {
                _stored = stored;
                _loaded = true;
            }
            return _stored;
        }
    }

    /// <summary>
    /// Sends a call of the client's own, retrying 429 and 503 after their <c>Retry-After</c>, and — when
    /// <paramref name="retryLostAnswers"/> — a lost answer or another 5xx, but only within
    /// <see cref="JwtDevicesClientOptions.RotationReuseInterval"/> of the first attempt the server may have acted on.
    /// Returns any other answer; throws <see cref="JwtDevicesUnavailableException"/> when the retries run out.
    /// </summary>
    private async Task<HttpResponseMessage> SendWithRetriesAsync(
        Func<HttpRequestMessage> createRequest, string call, bool retryLostAnswers, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        DateTimeOffset? mayHaveActedAt = null;
        for (var attempt = 1; ; attempt++)
        {
            var sentAt = time.GetUtcNow();
            HttpStatusCode? status = null;
            string? code = null;
            TimeSpan? retryAfter = null;
            Exception? failure = null;
            try
            {
                using var request = createRequest();
                var response = await BackchannelSendAsync(request, cancellationToken).ConfigureAwait(false);
                _nonces.Remember(request.RequestUri!, response);
                if (!ServerAnswers.IsTransient(response.StatusCode) || (!retryLostAnswers && ServerAnswers.MayHaveActed(response.StatusCode)))
                {
                    return response;
                }
                using (response)
                {
                    status = response.StatusCode;
                    code = await ServerAnswers.ReadCodeAsync(response, cancellationToken).ConfigureAwait(false);
                    retryAfter = ServerAnswers.RetryAfter(response, time.GetUtcNow());
                }
                if (ServerAnswers.MayHaveActed(status.Value))
                {
                    mayHaveActedAt ??= sentAt;
                }
            }
            catch (Exception exception) when (IsLostAnswer(exception, cancellationToken))
            {
                if (!retryLostAnswers)
                {
                    throw new JwtDevicesUnavailableException($"The {call} got no answer from the server.", null, null, null, exception);
                }
                failure = exception;
                mayHaveActedAt ??= sentAt;
            }

            var delay = retryAfter ?? TimeSpan.FromMilliseconds(250 * (1 << Math.Min(attempt - 1, 6)));
            var withinReuse = mayHaveActedAt is not { } acted || time.GetUtcNow() + delay - acted < _options.RotationReuseInterval;
            if (attempt > _options.MaxRetries || delay > _options.MaxRetryDelay || !withinReuse)
            {
                var what = status is null ? "got no answer from the server" : $"was answered {(int)status} ({code})";
                throw new JwtDevicesUnavailableException($"The {call} {what} after {attempt} attempts; try again later.", status, code, retryAfter, failure);
            }
            Log.Retrying(_logger, status, code, call, attempt, delay);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A dropped connection or a timeout: the server may have acted on the request without our hearing of it.</summary>
    private static bool IsLostAnswer(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or IOException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private Task<HttpResponseMessage> BackchannelSendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _backchannel().SendAsync(request, cancellationToken);

    private static bool CanSendAgain(HttpRequestMessage request) =>
        request.Content is null or ByteArrayContent or JsonContent;

    private Uri DeviceUri(long deviceId) =>
        _options.Resolve(_options.DevicesPath.TrimEnd('/') + "/" + deviceId.ToString(CultureInfo.InvariantCulture) + "/");

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            await ThrowRefusedAsync(response, call, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ThrowRefusedAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        var code = await ServerAnswers.ReadCodeAsync(response, cancellationToken).ConfigureAwait(false);
        var message = $"The server refused the {call} ({(int)response.StatusCode} {code}).";
        if (ServerAnswers.IsTransient(response.StatusCode))
        {
            throw new JwtDevicesUnavailableException(message, response.StatusCode, code, ServerAnswers.RetryAfter(response, DateTimeOffset.UtcNow));
        }
        throw new JwtDevicesClientException(message, response.StatusCode, code);
    }
}
