namespace JwtDevices;

/// <summary>Default values used by the JwtDevices authentication scheme.</summary>
public static class JwtDevicesDefaults
{
    /// <summary>The name of the authentication scheme: <c>JwtDevices</c>.</summary>
    public const string AuthenticationScheme = "JwtDevices";

    /// <summary>The configuration section the settings are bound from: <c>JwtDevices</c>.</summary>
    public const string ConfigurationSection = "JwtDevices";

    /// <summary>The request header that carries a permanent token to the refresh endpoint.</summary>
    public const string PermanentTokenHeader = "Permanent-Token";

    /// <summary>The request header that names the device to log out.</summary>
    public const string DeviceIdHeader = "Device-Id";

    /// <summary>The request header that names the device model at log-in.</summary>
    public const string DeviceModelHeader = "X-Device-Model";
}
