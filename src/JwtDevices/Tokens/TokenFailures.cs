namespace JwtDevices.Tokens;

/// <summary>
/// Why an access token was refused. These fixed texts are all that reaches a response or a log:
/// never the token, never the validator's own message.
/// </summary>
internal static class TokenFailures
{
    public const string Malformed = "The token is not a signed JWT.";
    public const string DeviceGone = "The token's device does not exist; it was logged out or expired.";
    public const string NoDevice = "The token names no device.";
    public const string Expired = "The token is expired.";
    public const string Invalid = "The token's signature, algorithm or claims are not valid.";
}
