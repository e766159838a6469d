namespace JwtDevices.Users;

/// <summary>What an access token says of its user.</summary>
/// <param name="Id">The user's id.</param>
/// <param name="UserName">The user's name.</param>
/// <param name="Email">The user's e-mail address, if any.</param>
public sealed record JwtDevicesUser(string Id, string UserName, string? Email);
