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
    /// How many failed log-ins one user name may have from one client address within
    /// <see cref="FailedLoginWindow"/>; that address's next log-in with that name, right password or not,
    /// gets 429 until the oldest failure leaves the window. Default: 10. Keyed by the normalized user name
    /// and the client address, so guessing from one address never hinders the user elsewhere.
    /// </summary>
    public int FailedLoginsPerUserName { get; set; } = 10;

    /// <summary>
    /// How many failed log-ins one user name may have from all client addresses together within
    /// <see cref="FailedLoginWindow"/>, against guessing from many addresses; past it, only addresses that
    /// signed in as that user within the window may still try. Default: 100.
    /// </summary>
    public int FailedLoginsPerUserNameFromAllClients { get; set; } = 100;

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
