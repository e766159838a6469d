using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tokens;

/// <summary>
/// Why an access token was refused. These fixed texts are all that reaches a response, a log or the
/// <c>AuthenticationFailed</c> event: never the token, never the validator's own message.
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

    /// <summary>The failure of an expired token, of the type JwtBearer users test for.</summary>
    public static SecurityTokenExpiredException ExpiredToken(DateTime expires) => new(Expired) { Expires = expires };

    public static SecurityTokenMalformedException MalformedToken() => new(Malformed);

    public static SecurityTokenValidationException InvalidToken() => new(Invalid);
}
