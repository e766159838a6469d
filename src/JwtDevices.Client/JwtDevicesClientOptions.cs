namespace JwtDevices.Client;

/// <summary>The settings of a <see cref="JwtDevicesClient"/>: where the server is, where the permanent token lives, how patient to be.</summary>
public sealed class JwtDevicesClientOptions
{
    /// <summary>The root the server maps its endpoints under, such as <c>https://api.example.com/</c>. Required.</summary>
    public Uri? ServerAddress { get; set; }

    /// <summary>Where the permanent token is kept between runs. Defaults to memory only (signed out when the process ends).</summary>
    public IJwtDevicesTokenStore? TokenStore { get; set; }

    /// <summary>
    /// How long before the JWT's expiry to refresh it: 30 seconds by default, and never more than half of the JWT's
    /// lifetime. A request then never carries a JWT that expires on its way, even with a few seconds of latency,
    /// while a 5-minute JWT is still used for 90 % of its life.
    /// </summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The server's <c>RotationReuseInterval</c> (30 seconds by default there): a refresh whose answer was lost is
    /// retried with the same permanent token only within this time of its first attempt, when the server still
    /// answers it with the same successor. Set it to the server's value; shorter is safe, longer is not.
    /// </summary>
    public TimeSpan RotationReuseInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times log-in and refresh are retried after 429, 503, another 5xx or a lost answer before giving up. 3 by default.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The longest wait for one retry (a longer <c>Retry-After</c> gives up at once). 30 seconds by default.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The scheme of the <c>Authorization</c> header of an unbound device; the server takes <c>Bearer</c> (the default)
    /// and the seed's <c>JWT</c>. A device bound by DPoP always sends <c>DPoP</c>.
    /// </summary>
    public string AuthorizationScheme { get; set; } = "Bearer";

    /// <summary>
    /// Whether to bind each new device to a key (DPoP, RFC 9449); <see langword="true"/> by default. The client then
    /// makes a P-256 key at sign-in and sends a proof with it; the device is bound only when the server answers
    /// <c>"token_type": "DPoP"</c>, and from then on every refresh and request carries a proof by that key. A server
    /// that does not bind (DPoP disabled, an older server, the seed) answers without <c>token_type</c>: the key is
    /// dropped and the device works unbound. Set <see langword="false"/> to send no proof at all.
    /// </summary>
    public bool UseDpop { get; set; } = true;

    /// <summary>
    /// The origins (such as <c>https://files.example.com</c>) besides <see cref="ServerAddress"/>'s own whose requests
    /// may carry this client's JWT and DPoP proofs through its handler. Empty by default: the server's origin only. A
    /// request to any other origin is refused with an <see cref="InvalidOperationException"/> before it leaves, so
    /// that a token never reaches a host it was not meant for. List only hosts that accept this server's JWTs.
    /// </summary>
    public IList<Uri> AllowedOrigins { get; } = [];

    /// <summary>The server's log-in path, relative to <see cref="ServerAddress"/>.</summary>
    public string LoginPath { get; set; } = "auth-token/";

    /// <summary>The server's refresh path.</summary>
    public string RefreshPath { get; set; } = "device-refresh-token/";

    /// <summary>The server's path to log out the device in use.</summary>
    public string LogoutPath { get; set; } = "device-logout/";

    /// <summary>The server's path to log out every other device of the user.</summary>
    public string LogoutOthersPath { get; set; } = "device-logout-others/";

    /// <summary>The server's device list; a device is at <c>{DevicesPath}{id}/</c>.</summary>
    public string DevicesPath { get; set; } = "devices/";

    /// <summary>The clock, for the JWT's expiry and the waits between retries.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (ServerAddress is not { IsAbsoluteUri: true })
        {
            throw new InvalidOperationException($"{nameof(JwtDevicesClientOptions)}.{nameof(ServerAddress)} must be an absolute URI, such as https://api.example.com/.");
        }
        if (RefreshMargin < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{nameof(JwtDevicesClientOptions)}.{nameof(RefreshMargin)} must not be negative.");
        }
        if (RotationReuseInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{nameof(JwtDevicesClientOptions)}.{nameof(RotationReuseInterval)} must be positive; use the server's value.");
        }
        if (MaxRetries < 0)
        {
            throw new InvalidOperationException($"{nameof(JwtDevicesClientOptions)}.{nameof(MaxRetries)} must not be negative.");
        }
        if (MaxRetryDelay < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{nameof(JwtDevicesClientOptions)}.{nameof(MaxRetryDelay)} must not be negative.");
        }
        if (string.IsNullOrWhiteSpace(AuthorizationScheme))
        {
            throw new InvalidOperationException($"{nameof(JwtDevicesClientOptions)}.{nameof(AuthorizationScheme)} must not be empty.");
        }
        if (AllowedOrigins.Any(origin => origin is not { IsAbsoluteUri: true } || origin.AbsolutePath != "/" || origin.Query.Length > 0 || origin.Fragment.Length > 0))
        {
            throw new InvalidOperationException($"{nameof(JwtDevicesClientOptions)}.{nameof(AllowedOrigins)} holds origins only, such as https://files.example.com (scheme, host and port; no path).");
        }
    }

    /// <summary>Whether a request to <paramref name="uri"/> may carry the client's tokens: the server's origin or an allowed one.</summary>
    internal bool IsAllowedOrigin(Uri? uri) =>
        uri is { IsAbsoluteUri: true }
        && (SameOrigin(uri, ServerAddress!) || AllowedOrigins.Any(origin => SameOrigin(uri, origin)));

    private static bool SameOrigin(Uri left, Uri right) =>
        string.Equals(left.Scheme, right.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(left.IdnHost, right.IdnHost, StringComparison.OrdinalIgnoreCase)
        && left.Port == right.Port;

    internal Uri Resolve(string path)
    {
        var root = ServerAddress!.AbsoluteUri.EndsWith('/') ? ServerAddress : new Uri(ServerAddress.AbsoluteUri + "/");
        return new Uri(root, path.TrimStart('/'));
    }
}
