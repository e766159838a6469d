using Microsoft.AspNetCore.Authentication;

namespace JwtDevices;

/// <summary>
/// Settings of a JwtDevices authentication scheme: its named options, bound from the <c>JwtDevices</c>
/// configuration section and checked at start-up. The endpoints and shared services (token issue, device
/// store, revocation) use the first JwtDevices scheme's settings; a second scheme shares them and has
/// only its own <see cref="Events"/> and base scheme options (see docs/library.md).
/// </summary>
public sealed class JwtDevicesOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates the settings with their defaults and events that do nothing.</summary>
    public JwtDevicesOptions() => Events = new JwtDevicesEvents();

    /// <summary>
    /// The object the scheme and the endpoints call at each step (message received, token validated,
    /// authentication failed, challenge, forbidden, device created, token refreshed, device revoked, reuse
    /// detected, device limit reached).
    /// Set <see cref="AuthenticationSchemeOptions.EventsType"/> instead to take it from dependency injection.
    /// </summary>
    public new JwtDevicesEvents Events
    {
        get => (JwtDevicesEvents)base.Events!;
        set => base.Events = value;
    }
    /// <summary>
    /// Whether log-in creates a device with a permanent token (the default). When <see langword="false"/>,
    /// log-in returns only a JWT signed with the master key and creates no device.
    /// Seed name: <c>JWT_PERMANENT_TOKEN_AUTH</c>.
    /// </summary>
    public bool EnablePermanentTokens { get; set; } = true;

    /// <summary>
    /// How long a permanent token stays valid without being used (sliding). Default: 7 days.
    /// Seed name: <c>JWT_PERMANENT_TOKEN_EXPIRATION_DELTA</c>.
    /// </summary>
    public TimeSpan PermanentTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// A device's last-seen time is written at most once per this window, to spare the database.
    /// Default: 30 minutes. Seed name: <c>JWT_PERMANENT_TOKEN_EXPIRATION_ACCURACY</c>.
    /// </summary>
    public TimeSpan PermanentTokenExpirationAccuracy { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long an access token (JWT) is valid. Default: 5 minutes. Seed name: <c>JWT_EXPIRATION_DELTA</c>.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Tolerance for clock differences when checking <c>exp</c>. Default: zero. Seed name: <c>JWT_LEEWAY</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The master key, base64, of at least 256 bits. Device keys are derived from it, so changing it
    /// invalidates every access token. Required. Seed name: <c>SECRET_KEY</c>.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Master keys for rotation, newest first, set instead of <see cref="SigningKey"/>: new tokens are signed
    /// under the first, and tokens under the others stay valid until their key leaves the list. Permanent
    /// tokens do not depend on the master key, so devices carry on across a rotation.
    /// </summary>
    public IList<string> SigningKeys { get; set; } = [];

    /// <summary>The master keys in use, newest first: <see cref="SigningKeys"/> when set, else <see cref="SigningKey"/>.</summary>
    internal IEnumerable<string> MasterKeys =>
        SigningKeys.Count > 0 ? SigningKeys : string.IsNullOrWhiteSpace(SigningKey) ? [] : [SigningKey];

    /// <summary>
    /// Whether access tokens carry the user's roles in a <c>roles</c> claim (<see cref="Users.JwtDevicesUser.Roles"/>;
    /// with <c>AddJwtDevicesIdentityUsers</c>, Identity's roles, read at each log-in and refresh), so that
    /// <c>User.IsInRole</c> and <c>[Authorize(Roles = "...")]</c> work without a database read. Default:
    /// <see langword="false"/>, so tokens carry exactly the seed's claims. A role taken away stays in the tokens
    /// issued before, until they expire: up to <see cref="AccessTokenLifetime"/> (plus <see cref="ClockSkew"/>).
    /// Check the database instead where that is too long.
    /// </summary>
    public bool IncludeRoles { get; set; }

    /// <summary>The <c>iss</c> claim to write and require; none by default.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> claim to write and require; none by default.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// How often a node reads the revocation log. Without a revocation bus (Redis), or while it is down, this
    /// bounds how long another node may still accept a logged-out device's tokens; with one, revocations
    /// arrive within milliseconds and the poll is a safety net. Default: 10 seconds, one indexed query per
    /// node per interval.
    /// </summary>
    public TimeSpan RevocationPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often a node deletes devices idle for longer than <see cref="PermanentTokenLifetime"/> and trims
    /// the revocation log. Default: 1 hour.
    /// </summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Whether each refresh hands out a new permanent token (<c>{"token","permanent_token"}</c>) and retires the
    /// one presented. A retired token presented again after <see cref="RotationReuseInterval"/> is taken for a
    /// stolen copy: the device is revoked. Default: <see langword="false"/>, the seed's never-changing token.
    /// </summary>
    public bool RotatePermanentTokens { get; set; }

    /// <summary>
    /// How long the token just replaced by a rotation is still accepted, so that a retried or concurrent
    /// refresh is not mistaken for theft; it gets the same successor again. Default: 30 seconds.
    /// </summary>
    public TimeSpan RotationReuseInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long after its log-in a device ends, however active it is. Default: none (only the sliding
    /// <see cref="PermanentTokenLifetime"/> applies).
    /// </summary>
    public TimeSpan? PermanentTokenAbsoluteLifetime { get; set; }

    /// <summary>How many devices one user may have at once. Default: no limit.</summary>
    public int? MaxDevicesPerUser { get; set; }

    /// <summary>What a log-in beyond <see cref="MaxDevicesPerUser"/> does. Default: evict the least recently used device.</summary>
    public DeviceLimitStrategy DeviceLimitStrategy { get; set; } = DeviceLimitStrategy.EvictLeastRecentlyUsed;
}
