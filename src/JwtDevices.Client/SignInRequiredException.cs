using System.Net;

namespace JwtDevices.Client;

/// <summary>
/// The device can no longer renew its JWT: it was logged out (here or elsewhere), expired, its user's
/// credentials changed, or it was never signed in. The store has been cleared; ask the user to sign in again.
/// Retrying will not help.
/// </summary>
public sealed class SignInRequiredException : JwtDevicesClientException
{
    /// <summary>The code when the client holds no permanent token at all.</summary>
    public const string NotSignedIn = "not_signed_in";

    /// <summary>The code when the server runs in plain JWT mode (no permanent token) and the JWT expired.</summary>
    public const string AccessTokenExpired = "access_token_expired";

    /// <summary>Creates the exception.</summary>
    public SignInRequiredException(string code, HttpStatusCode? statusCode = null)
        : base($"Sign in again: the server no longer renews this device ({code}).", statusCode, code)
    {
    }
}
