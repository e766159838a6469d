namespace JwtDevices.Users;

/// <summary>What an access token says of its user.</summary>
/// <param name="Id">The user's id.</param>
/// <param name="UserName">The user's name.</param>
/// <param name="Email">The user's e-mail address, if any.</param>
public sealed record JwtDevicesUser(string Id, string UserName, string? Email)
{
    /// <summary>
    /// A hash of the user's security stamp (use <see cref="SecurityStamps.Hash"/>), or <see langword="null"/>
    /// when the user store keeps none. A device remembers it at log-in; a refresh is refused, and the device
    /// revoked, once the user's current one differs, as after a password change or reset.
    /// </summary>
    public byte[]? SecurityStampHash { get; init; }

    /// <summary>
    /// The user's roles, written into access tokens only when <see cref="JwtDevicesOptions.IncludeRoles"/> is on;
    /// read them only then, since a log-in and every refresh describe the user anew.
    /// </summary>
    public IReadOnlyList<string> Roles { get; init; } = [];
}
