namespace JwtDevices.Tokens;

/// <summary>
/// Why an access token was refused. These fixed texts are all that reaches a response or a log:
/// never the token, never the validator's own message.
/// </summary>
internal static class TokenFailures
{
    public const string Malformed = "The token is not a signed JWT.";
    public const string Expired = "The token is expired.";

    /// <summary>
    /// One text for a bad signature, a device that is gone and a token that names no device, so that no
    /// answer tells whether a device id exists.
    /// </summary>
    public const string Invalid = "The token is not valid, or its device was logged out.";
}
