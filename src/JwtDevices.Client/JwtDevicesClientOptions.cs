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

    /// <summary>The scheme of the <c>Authorization</c> header; the server takes <c>Bearer</c> (the default) and the seed's <c>JWT</c>.</summary>
    public string AuthorizationScheme { get; set; } = "Bearer";

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
    }

    internal Uri Resolve(string path)
    {
        var root = ServerAddress!.AbsoluteUri.EndsWith('/') ? ServerAddress : new Uri(ServerAddress.AbsoluteUri + "/");
        return new Uri(root, path.TrimStart('/'));
    }
}
