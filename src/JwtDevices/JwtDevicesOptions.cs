namespace JwtDevices;

/// <summary>
/// Settings of JwtDevices, bound from the <c>JwtDevices</c> configuration section and checked at start-up.
/// </summary>
public sealed class JwtDevicesOptions
{
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
}
