namespace JwtDevices;

/// <summary>
/// The rate limits of log-in and refresh, bound from the <c>RateLimits</c> configuration section when an
/// application calls <c>AddJwtDevicesRateLimits()</c> (the server does). A request over a limit gets 429
/// with <c>Retry-After</c>.
/// </summary>
public sealed class JwtDevicesRateLimitOptions
{
    /// <summary>The configuration section the limits are read from.</summary>
    public const string ConfigurationSection = "RateLimits";

    /// <summary>Whether any limit applies. Default: <see langword="true"/>; <see langword="false"/> turns them all off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How many failed log-ins one user name may have within <see cref="FailedLoginWindow"/>; the next
    /// log-in with that name, right password or not, gets 429 until the oldest failure leaves the window.
    /// Default: 10. Keyed by the normalized user name, so guessing one user's password never hinders another.
    /// </summary>
    public int FailedLoginsPerUserName { get; set; } = 10;

    /// <summary>The sliding window of <see cref="FailedLoginsPerUserName"/>. Default: 15 minutes.</summary>
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How many log-ins, failed or not, one client address may make per minute. Default: 60, enough for
    /// many users behind one address.
    /// </summary>
    public int LoginsPerClientPerMinute { get; set; } = 60;

    /// <summary>How many refreshes one client address may make per minute. Default: 600.</summary>
    public int RefreshesPerClientPerMinute { get; set; } = 600;
}
