namespace JwtDevices;

/// <summary>
/// The names of the claims in a JwtDevices access token, as drf-jwt-devices wrote them. The principal of an
/// authenticated request carries each of them, and also <c>ClaimTypes.NameIdentifier</c> (from
/// <see cref="UserId"/>), <c>ClaimTypes.Name</c> (from <see cref="Username"/>) and <c>ClaimTypes.Role</c>
/// (from <see cref="Roles"/>), the names ASP.NET Core and Identity look for.
/// </summary>
public static class JwtDevicesClaimTypes
{
    /// <summary>The user's id: a JSON number when the id is an integer, else a string.</summary>
    public const string UserId = "user_id";

    /// <summary>The user's name.</summary>
    public const string Username = "username";

    /// <summary>The user's e-mail address, empty when the user has none.</summary>
    public const string Email = "email";

    /// <summary>The id of the device the token was issued to, as a string; absent in plain JWT mode.</summary>
    public const string DeviceId = "device_id";

    /// <summary>
    /// The user's roles, a JSON array of strings (the <c>roles</c> claim of RFC 9068), written only when
    /// <see cref="JwtDevicesOptions.IncludeRoles"/> is on and the user has roles.
    /// </summary>
    public const string Roles = "roles";

    /// <summary>
    /// The confirmation claim of a DPoP-bound device's token (RFC 9449 §6.1): <c>{"jkt": "&lt;RFC 7638 thumbprint&gt;"}</c>.
    /// </summary>
    public const string Confirmation = "cnf";

    /// <summary>
    /// Not in the token: the principal of a bound device's request carries the thumbprint of its key (the token's
    /// <c>cnf.jkt</c>) under this claim type.
    /// </summary>
    public const string KeyThumbprint = "jkt";
}
