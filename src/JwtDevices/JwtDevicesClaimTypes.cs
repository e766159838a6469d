namespace JwtDevices;

/// <summary>The names of the claims in a JwtDevices access token, as drf-jwt-devices wrote them.</summary>
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
}
